package schedule

import "github.com/budgetcheck/budgetcheck/evaluator/ruleset"

// labels are the table's own words; names and amounts come from the result.
var labels = map[string]ruleset.Text{
	"title":                 {Zh: "合同年度付款计划表", En: "Contract payments by year"},
	"title_contracted":      {Zh: "合同年度付款计划表（按合同约定）", En: "Contract payments by year (as contracted)"},
	"title_plan":            {Zh: "合同年度付款计划表（建议安排）", En: "Contract payments by year (recommended plan)"},
	"no":                    {Zh: "序号", En: "No."},
	"subproject":            {Zh: "子项目", En: "Sub-project"},
	"name":                  {Zh: "合同名称", En: "Contract"},
	"signed":                {Zh: "合同日期", En: "Signed"},
	"supplier":              {Zh: "供应商", En: "Supplier"},
	"total":                 {Zh: "合同总额", En: "Total"},
	"term":                  {Zh: "服务周期", En: "Term"},
	"sum":                   {Zh: "行合计", En: "Row sum"},
	"check":                 {Zh: "核对", En: "Check"},
	"payments":              {Zh: "年度付款额", En: "Payments by year"},
	"grand_total":           {Zh: "合计", En: "Total"},
	"ok":                    {Zh: "相符", En: "ok"},
	"no_total_short":        {Zh: "无总额", En: "no total"},
	"diff":                  {Zh: "差 %s", En: "off by %s"},
	"earlier":               {Zh: "%d年以前", En: "before %d"},
	"after":                 {Zh: "%d年以后", En: "after %d"},
	"later":                 {Zh: "未定期", En: "no date"},
	"year":                  {Zh: "%s年", En: "%s"},
	"instalment":            {Zh: "第%d期", En: "instalment %d"},
	"predecessor":           {Zh: "原合同欠款：", En: "arrears of the previous contract: "},
	"unsigned_intent":       {Zh: "待签（意向）", En: "intent, unsigned"},
	"unsigned_pending":      {Zh: "待签", En: "pending"},
	"unsigned_signed":       {Zh: "", En: ""},
	"unit":                  {Zh: "单位：%s", En: "Unit: %s"},
	"legend":                {Zh: "✓ 已支付；* 本年度调整（见注）；未定期：仅约定付款条件或待补充协议确定付款年度的款项，计入行合计", En: "✓ paid; * moved by the plan (see notes); no date: payments with only a trigger, or deferred until an agreement fixes the year; they count in the row sum"},
	"notes":                 {Zh: "注", En: "Notes"},
	"reconciled":            {Zh: "%d 年度付款合计 %s%s，与建议预算 %s%s 一致。", En: "The %d payments total %s %s, equal to the recommended budget of %s %s."},
	"unreconciled":          {Zh: "%d 年度付款合计 %s%s，与建议预算 %s%s 不一致，相差 %s%s（见注）。", En: "The %d payments total %s %s but the recommended budget is %s %s, a difference of %s %s (see the notes)."},
	"contracted_fy":         {Zh: "按合同约定，%d 年度应付 %s%s（建议预算 %s%s）。", En: "As contracted, the %d payments total %s %s (recommended budget %s %s)."},
	"move_arrear":           {Zh: "%s %s：%s应付未付 %s，调入%s", En: "%s %s: %s, unpaid, %s moved into %s"},
	"move_maintenance":      {Zh: "%s %s：%s付款中含提前支付的运维费 %s，调至%s（待签订补充协议、制定考核标准后安排）", En: "%s %s: the %s payment carries %s of prepaid maintenance, moved to %s (until an agreement sets the criteria)"},
	"move_cycle":            {Zh: "%s 第%d个考核周期 %s 结束，%s 需考核 %d 天后支付，计入%s", En: "%s cycle %d ends %s; %s is paid after a %d-day assessment, in %s"},
	"contract_vs_lines":     {Zh: "%s %d年付款 %s 与其预算行建议数 %s 不一致，相差 %s", En: "%s: the %d payments of %s differ from its budget lines' recommended %s by %s"},
	"line_without_contract": {Zh: "预算行 %s（%s）建议 %s，未对应表中合同", En: "budget line %s (%s) recommends %s and pays no contract of the table"},
	"unitemised":            {Zh: "申报总额中 %s 未列预算明细，不对应表中合同", En: "%s of the request is not itemised in budget lines and pays no contract of the table"},
	"no_total":              {Zh: "%s 未填合同总额，无法核对行合计", En: "%s states no total; its row sum cannot be checked"},
	"discrepancy":           {Zh: "%s 各年付款合计 %s 与合同总额 %s 不符，相差 %s", En: "%s: payments add up to %s, not the contract total %s (off by %s)"},
}

func label(key, lang string) string { return labels[key].In(lang) }

// Label returns the table's word for key in lang (for the report).
func Label(key, lang string) string { return label(key, lang) }
