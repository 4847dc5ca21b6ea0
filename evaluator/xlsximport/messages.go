package xlsximport

import (
	"fmt"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// msg is a message in English and in Chinese: every warning and problem of
// the import carries both (submission.Problem.Message and Zh), and outputs
// show the one of --lang.
type msg struct {
	en, zh     string
	args, zarg []any
}

// say is a message whose two texts take the same arguments.
func say(en, zh string, args ...any) msg { return msg{en: en, zh: zh, args: args, zarg: args} }

// zhArgs gives the Chinese text its own arguments (words translated).
func (m msg) zhArgs(args ...any) msg {
	m.zarg = args
	return m
}

func (m msg) problem(code, path string, p submission.Pos) submission.Problem {
	return submission.Problem{Code: code, Path: path, Pos: p, Message: fmt.Sprintf(m.en, m.args...), Zh: fmt.Sprintf(m.zh, m.zarg...)}
}

// titles name each warning and problem code of the import, for the lists
// that show one line per warning (问题清单).
var titles = map[string][2]string{ // code → {zh, en}
	WarnWhitespace:      {"单元格前后有空白", "whitespace around a cell"},
	WarnCodeDigitsLost:  {"项目编码以数字存储，位数丢失", "project code stored as a number, digits lost"},
	WarnDuplicateCode:   {"项目编码重复", "project code used twice"},
	WarnBlankRow:        {"指标空行", "blank indicator row"},
	WarnRowNotFilled:    {"指标行未填写", "indicator row not filled in"},
	WarnNameBlank:       {"缺少三级指标名称", "no level-3 indicator name"},
	WarnLevelMissing:    {"缺少一级或二级指标", "no level-1 or level-2 indicator"},
	WarnUnknownProject:  {"指标行不属于任何项目", "indicator row of no project"},
	WarnFiscalYear:      {"预算年度系推断", "fiscal year inferred"},
	WarnAttribute:       {"项目属性无法识别", "project attribute not understood"},
	WarnTotalBelowYear:  {"项目总金额小于本年度金额", "total below this year's amount"},
	WarnBudgetUnit:      {"申请单位为空", "no applying unit"},
	WarnSheetSkipped:    {"工作表已跳过", "sheet skipped"},
	WarnNoTargets:       {"没有指标表", "no indicator table"},
	WarnAmountPrecision: {"金额存储有浮点误差", "amount stored with float noise"},
	WarnAmbiguousCode:   {"项目编码无法区分", "ambiguous project code"},
	WarnAmountText:      {"金额以文本填写", "amount written as text"},
	WarnFormulaNoValue:  {"公式没有保存结果", "formula without a stored result"},
	WarnCodeDate:        {"项目编码为日期格式", "project code in a date cell"},
	WarnUnit:            {"金额单位系推断", "amount unit decided from the evidence"},
	CodeFiscalYear:      {"无法确定预算年度", "fiscal year unknown"},
	CodeTooLarge:        {"工作簿解压后过大", "workbook too large unzipped"},
	CodeNotWorkbook:     {"不是 .xlsx 工作簿", "not an .xlsx workbook"},
	CodeNoProjects:      {"没有找到项目", "no project found"},
}

// Title names an import code in lang ("zh" or "en"); an unknown code is
// its own name.
func Title(code, lang string) string {
	t, ok := titles[code]
	switch {
	case !ok:
		return code
	case lang == "en":
		return t[1]
	}
	return t[0]
}
