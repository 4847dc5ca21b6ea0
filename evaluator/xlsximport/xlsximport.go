// Package xlsximport reads the performance-target workbooks that budget
// management systems export (二级项目支出绩效目标申报表) into submissions: the
// project's texts and amounts and its target table, without contracts or
// budget lines.
//
// Two layouts are read, sheet by sheet:
//
//   - the form: one sheet per project, a title row 二级项目支出绩效目标申报表,
//     label/value pairs ("项目编码：" …, found by their labels wherever they
//     stand), one row each for 政策依据, 测算依据, 年度目标 and 长期目标, the
//     indicator table (一级指标 | 二级指标 | 三级指标 | 目标值 | 指标解释) and a
//     备注 row;
//   - the flat export: a project sheet (one row per project, columns 项目编码,
//     项目名称 …) and an indicator sheet linked to it by 项目编码.
//
// Every fact keeps the cell it came from: Submission.Positions[path] is a
// submission.Pos whose File is "book.xlsx#Sheet!C12" (the workbook, the
// sheet and the cell in Excel's notation), Line the cell's row and Column its
// column number, so that findings point at the cell.
//
// Real exports are messy. What the importer had to interpret comes back as
// warnings (Project.Warnings, codes xlsx_*: trimmed whitespace, a 项目编码
// that lost digits in scientific notation, blank indicator rows …); what it
// cannot read is a problem (Project.Problems) and the project has no
// submission. Judgements that belong to the policy (a 测算依据 whose amounts
// contradict the declared amount, a row partly marked 不适用) are left to the
// ruleset, which sees the facts as written.
package xlsximport

import (
	"archive/zip"
	"cmp"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Layouts of a workbook.
const (
	LayoutForm = "form" // one sheet per project
	LayoutFlat = "flat" // a project sheet and an indicator sheet
)

// Warning codes: the import read the cell, but had to interpret it.
const (
	WarnWhitespace      = "xlsx_whitespace"        // leading/trailing line breaks, tabs or spaces trimmed
	WarnCodeDigitsLost  = "xlsx_code_digits_lost"  // 项目编码 stored as a number: digits lost
	WarnDuplicateCode   = "xlsx_duplicate_code"    // two projects share a 项目编码
	WarnBlankRow        = "xlsx_blank_row"         // an indicator row entirely blank: skipped
	WarnRowNotFilled    = "xlsx_row_not_filled"    // an indicator row with levels only: skipped
	WarnNameBlank       = "xlsx_target_name_blank" // a row with a value but no 三级指标
	WarnLevelMissing    = "xlsx_level_missing"     // a row whose 一级/二级指标 cannot be inferred: skipped
	WarnUnknownProject  = "xlsx_unknown_project"   // a flat indicator row whose 项目编码 has no project
	WarnFiscalYear      = "xlsx_fiscal_year"       // the fiscal year was inferred
	WarnAttribute       = "xlsx_attribute"         // 是否新增项目 / 项目类型 not understood
	WarnTotalBelowYear  = "xlsx_total_below_year"  // 项目总金额 is less than 本年度项目金额
	WarnBudgetUnit      = "xlsx_budget_unit"       // 申请单位 blank: 一级预算单位 used
	WarnSheetSkipped    = "xlsx_sheet_skipped"     // a sheet that is no project sheet
	WarnNoTargets       = "xlsx_no_targets"        // a project without an indicator table
	WarnAmountPrecision = "xlsx_amount_precision"  // an amount stored with float noise, read as displayed
	WarnAmbiguousCode   = "xlsx_ambiguous_code"    // flat export: projects share a 项目编码, their indicators are skipped
	WarnAmountText      = "xlsx_amount_text"       // an amount written as text with separators or its unit
	WarnFormulaNoValue  = "xlsx_formula_no_value"  // a formula cell whose result the workbook did not store
	WarnCodeDate        = "xlsx_code_date"         // 项目编码 in a date cell: read as the number stored
	WarnUnit            = "xlsx_unit"              // no unit over an amount: decided from the 测算依据
)

// Problem codes of the import itself (the submission package's codes are used
// for missing fields and invalid amounts).
const (
	CodeNotWorkbook    = "xlsx_not_workbook"
	CodeNoProjects     = "xlsx_no_projects"
	CodeFiscalYear     = "xlsx_fiscal_year_unknown"
	CodeProjectsFailed = "xlsx_projects_failed"
	CodeTooLarge       = "xlsx_too_large"
)

// Limits Import applies unless told otherwise. A workbook is a zip of XML
// parts; a small file can unzip to gigabytes. Each part and the whole are
// bounded by the sizes the zip declares (which archive/zip enforces while
// reading), before anything is unzipped: real project sheets are tens of
// kilobytes, a flat export of a few hundred projects a few megabytes.
const (
	DefaultMaxBytes      = 50 << 20  // the file
	DefaultMaxPartBytes  = 16 << 20  // one part unzipped (a sheet, the shared strings)
	DefaultMaxUnzipBytes = 128 << 20 // every part unzipped
	// parts above this size are unzipped to temporary files by excelize
	// instead of memory.
	memoryPartBytes = 1 << 20
)

// Options tune the import.
type Options struct {
	// FiscalYear is the year the budget is for. 0 reads it from the sheet:
	// a year in the title row, else the first year of 实施期限 (when it
	// holds dates, not a count of years), else a year in the file name,
	// else one in the sheet name (each inference but the title's is a
	// warning); else the project fails with CodeFiscalYear.
	FiscalYear int
	// MaxBytes refuses larger files (0 means DefaultMaxBytes).
	MaxBytes int64
	// MaxPartBytes and MaxUnzipBytes refuse a workbook one of whose parts,
	// or all of whose parts, unzip to more (0: the defaults).
	MaxPartBytes, MaxUnzipBytes int64
	// Warn, when set, receives Load's warnings (those of the workbook, then
	// those of each project), for callers that only want the submissions.
	Warn func(submission.Problem)
}

// Workbook is an imported workbook.
type Workbook struct {
	File     string
	Layout   string
	Projects []Project
	// Warnings are about the workbook as a whole (sheets skipped).
	Warnings submission.Problems
}

// Project is one project of a workbook.
type Project struct {
	// Sheet is the sheet the project was read from (the project sheet of a
	// flat export); Row is its row there (0 for the form layout). Together
	// they tell projects apart when their 项目编码 are damaged.
	Sheet string
	Row   int
	// ProjectName and ProjectCode are 项目名称 and 项目编码 as read, also when
	// the project has problems, for the rows that report them.
	ProjectName, ProjectCode string
	// Submission is nil when Problems is not empty.
	Submission *submission.Submission
	Warnings   submission.Problems
	Problems   submission.Problems

	name string
	at   submission.Pos
}

// Cell is where the project starts in its workbook ("Sheet!B2"), for
// summaries and error rows.
func (p Project) Cell() string { return cellOf(p.at) }

// Name is a short name for the project, unique in its workbook: its 项目编码
// when that is intact and unique, else its sheet (and row).
func (p Project) Name() string { return p.name }

// IsWorkbook reports whether path names an Excel workbook by its extension
// (.xlsx, .xlsm, .xltx; .xls is recognised so that Load can say it is not
// supported).
func IsWorkbook(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm", ".xltx", ".xltm", ".xls":
		return true
	}
	return false
}

// Load imports the workbook at path and returns one submission per project.
// When a project cannot be imported the error is the submission.Problems of
// every such project (and no submissions); warnings go to Options.Warn, or
// use Import to have them by project.
func Load(path string, opts Options) ([]*submission.Submission, error) {
	wb, err := Import(path, opts)
	if err != nil {
		return nil, err
	}
	if opts.Warn != nil {
		for _, w := range wb.Warnings {
			opts.Warn(w)
		}
		for _, p := range wb.Projects {
			for _, w := range p.Warnings {
				opts.Warn(w)
			}
		}
	}
	var subs []*submission.Submission
	var problems submission.Problems
	for _, p := range wb.Projects {
		problems = append(problems, p.Problems...)
		if p.Submission != nil {
			subs = append(subs, p.Submission)
		}
	}
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	return subs, nil
}

// Import reads the workbook at path. The error is submission.Problems when
// the file cannot be opened, is too large unzipped, or holds no project
// sheet; a project that cannot be read has its own Problems and the others
// are still imported.
func Import(path string, opts Options) (wb *Workbook, err error) {
	fail := func(code string, m msg) error {
		return submission.Problems{m.problem(code, "", submission.Pos{File: path})}
	}
	limit := cmp.Or(opts.MaxBytes, DefaultMaxBytes)
	partLimit := cmp.Or(opts.MaxPartBytes, DefaultMaxPartBytes)
	unzipLimit := cmp.Or(opts.MaxUnzipBytes, DefaultMaxUnzipBytes)
	st, err := os.Stat(path)
	if err != nil {
		return nil, fail(submission.CodeRead, say("%v", "无法读取：%v", err))
	}
	if st.IsDir() {
		return nil, fail(submission.CodeRead, say("is a directory, not a workbook", "是文件夹，不是工作簿"))
	}
	if st.Size() > limit {
		return nil, fail(submission.CodeTooLarge, say("the file is larger than the limit of %d bytes", "文件大于 %d 字节的上限", limit))
	}
	if strings.EqualFold(filepath.Ext(path), ".xls") {
		return nil, fail(CodeNotWorkbook, say("old binary .xls workbooks are not supported; save it as .xlsx in Excel or WPS", "不支持旧版 .xls 工作簿：请在 Excel 或 WPS 中另存为 .xlsx"))
	}
	// A malformed workbook must become a problem, never a crash of a batch.
	defer func() {
		if r := recover(); r != nil {
			wb, err = nil, fail(CodeNotWorkbook, say("the workbook cannot be read: %v", "无法读取工作簿：%v", r))
		}
	}()
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fail(CodeNotWorkbook, say("not an .xlsx workbook (%v)", "不是 .xlsx 工作簿（%v）", err))
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	var total uint64
	for _, zf := range zr.File {
		size := zf.UncompressedSize64
		if size > uint64(partLimit) {
			return nil, fail(CodeTooLarge, say("part %s unzips to %d bytes, more than the limit of %d for one part: refused (a project sheet is tens of kilobytes)",
				"部件 %s 解压后 %d 字节，超过单个部件 %d 字节的上限，拒绝读取（一个项目工作表通常只有几十 KB）", zf.Name, size, partLimit))
		}
		if total += size; total > uint64(unzipLimit) {
			return nil, fail(CodeTooLarge, say("the parts unzip to more than the limit of %d bytes (at part %s): refused",
				"各部件解压后超过 %d 字节的上限（至部件 %s），拒绝读取", unzipLimit, zf.Name))
		}
		files[strings.ToLower(zf.Name)] = zf
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: min(memoryPartBytes, unzipLimit)})
	if err != nil {
		msg := err.Error()
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(msg, "zip") {
			return nil, fail(CodeNotWorkbook, say("not an .xlsx workbook (%s)", "不是 .xlsx 工作簿（%s）", msg))
		}
		return nil, fail(CodeNotWorkbook, say("%s", "无法读取工作簿：%s", msg))
	}
	defer f.Close()
	parts, err := sheetParts(files)
	if err != nil {
		return nil, fail(CodeNotWorkbook, say("not an .xlsx workbook (%v)", "不是 .xlsx 工作簿（%v）", err))
	}
	r := &reader{f: f, file: path, opts: opts, files: files, parts: parts, formats: map[int][2]bool{}}
	return r.workbook()
}

// pos is where a cell stands: File names the workbook, sheet and cell.
func pos(file, sheet string, row, col int) submission.Pos {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return submission.Pos{File: file + "#" + sheetRef(sheet) + "!" + name, Line: row, Column: col}
}

// sheetRef quotes a sheet name the way Excel does in references.
func sheetRef(sheet string) string {
	for _, r := range sheet {
		if !(r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x2E80) {
			return "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
		}
	}
	return sheet
}

// FiscalYearUnknown returns where (book.xlsx#Sheet, or #Sheet:row in a flat
// export) the fiscal year of a project of the workbook at path can be
// neither read nor inferred, with opts.FiscalYear unset: a batch asks for
// --fiscal-year once, before evaluating, instead of failing every project.
// A workbook that cannot be read gives none (it is an error row of its own).
func FiscalYearUnknown(path string, opts Options) []string {
	if opts.FiscalYear != 0 || len(years(filepath.Base(path))) == 1 {
		return nil
	}
	wb, err := Import(path, opts)
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range wb.Projects {
		for _, pr := range p.Problems {
			if pr.Code == CodeFiscalYear {
				out = append(out, path+"#"+p.Cell())
				break
			}
		}
	}
	return out
}
