package annotate

import "github.com/budgetcheck/budgetcheck/evaluator/ruleset"

// labels are the words of the annotated copies, the register and the letters.
var labels = map[string]ruleset.Text{
	"sheet":             {Zh: "审核意见", En: "Review notes"},
	"sheet.title":       {Zh: "审核意见：%s", En: "Review notes: %s"},
	"legend":            {Zh: "有问题的单元格按严重程度填色并附批注（鼠标移到单元格上查看）：", En: "Cells with a problem are filled by severity and carry a comment (hover over the cell):"},
	"register":          {Zh: "审核结果", En: "Review results"},
	"register.title":    {Zh: "项目绩效目标审核结果", En: "Performance-target review: results"},
	"register.count":    {Zh: "共 %d 个项目", En: "%d projects"},
	"register.grade":    {Zh: "%s %d 个", En: "%s %d"},
	"seq":               {Zh: "序号", En: "No."},
	"project_sheet":     {Zh: "工作表", En: "Sheet"},
	"code":              {Zh: "项目编码", En: "Project code"},
	"name":              {Zh: "项目名称", En: "Project"},
	"unit":              {Zh: "申请单位", En: "Applying unit"},
	"department":        {Zh: "一级预算单位", En: "Department"},
	"grade":             {Zh: "审核结果", En: "Result"},
	"count":             {Zh: "问题数", En: "Problems"},
	"notes":             {Zh: "审核意见", En: "Review notes"},
	"n":                 {Zh: "序号", En: "No."},
	"cell":              {Zh: "单元格", En: "Cell"},
	"none":              {Zh: "未发现问题。", En: "No problem found."},
	"unreadable":        {Zh: "无法评估", En: "not evaluated"},
	"not_reviewed":      {Zh: "未审核", En: "not reviewed"},
	"note":              {Zh: "%d. %s", En: "%d. %s"},
	"note.where":        {Zh: "%d. %s：%s", En: "%d. %s: %s"},
	"line":              {Zh: "第%d行", En: "line %d"},
	"comment.author":    {Zh: "审核意见", En: "Review"},
	"comment.code":      {Zh: "［%s］", En: " [%s]"},
	"comment.project":   {Zh: "（项目未标明单元格的问题）", En: "(problems of the project that have no cell)"},
	"comment.original":  {Zh: "原批注：", En: "Original comment: "},
	"severity.error":    {Zh: "错误", En: "error"},
	"severity.warning":  {Zh: "警告", En: "warning"},
	"severity.info":     {Zh: "提示", En: "info"},
	"no_unit":           {Zh: "未填写申请单位", En: "no unit"},
	"letter.title":      {Zh: "%s项目绩效目标审核意见", En: "Performance-target review notes for %s"},
	"letter.intro":      {Zh: "%s：贵单位报送的 %d 个项目的绩效目标已审核，审核结果和审核意见如下。请按审核意见逐条修改后重新报送。", En: "%s: the performance targets of your %d projects have been reviewed. The results and notes follow; please revise accordingly and resubmit."},
	"letter.grades":     {Zh: "审核结果：%s。", En: "Results: %s."},
	"letter.project":    {Zh: "%d. %s", En: "%d. %s"},
	"letter.code":       {Zh: "项目编码", En: "Project code"},
	"letter.department": {Zh: "一级预算单位", En: "Department"},
	"letter.file":       {Zh: "文件", En: "File"},
	"letter.sheet":      {Zh: "（工作表：%s）", En: " (sheet %s)"},
	"letter.grade":      {Zh: "审核结果", En: "Result"},
	"letter.notes":      {Zh: "审核意见", En: "Review notes"},
	"partial":           {Zh: "部分结果：运行被中断，已处理 %d / %d 个输入文件", En: "PARTIAL: the run was interrupted after %d of %d input files"},
	"sep":               {Zh: "，", En: ", "},
}

func label(key, lang string) string { return labels[key].In(lang) }

// severity names a severity in lang.
func severity(sev, lang string) string {
	if l, ok := labels["severity."+sev]; ok {
		return l.In(lang)
	}
	return sev
}
