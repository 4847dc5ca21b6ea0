# Hand-written texts with the verdict a reviewer expects: indicator values
# (measurable or not), 政策依据 (cites a document or not), 测算依据 (shows a
# computation or not). Each case runs the rule as budgetcheck does: values
# through the Go parser's parts (number, unit, date), texts as written.
package budgetcheck.targets.verdicts_test

import data.budgetcheck.targets.build_test as build

# values: text, prefix, number, unit, date (as evaluator/indicator parses it), measurable.
values := [
	["≥95%", "≥", "95", "%", "", true],
	["100%", "", "100", "%", "", true],
	["95%以上", "", "95", "%以上", "", true],
	["≤3个工作日", "≤", "3", "个工作日", "", true],
	["3个工作日内", "", "3", "个工作日内", "", true],
	["15个", "", "15", "个", "", true],
	["不少于20场", "不少于", "20", "场", "", true],
	["≤0.3万元", "≤", "0.3", "万元", "", true],
	["2023年12月底前", "", "", "底前", "2023年12月", true],
	["2021年5月前", "", "", "前", "2021年5月", true],
	["2022-06-30", "", "", "", "2022-06-30", true],
	["三小时之内", "", "", "", "", true],
	["七个工作日内", "", "", "", "", true],
	["半小时内", "", "", "", "", true],
	["两周内", "", "", "", "", true],
	["三个月内", "", "", "", "", true],
	["一个半月内", "", "", "", "", true],
	["30分钟以内", "", "30", "分钟以内", "", true],
	["每月一次", "", "", "", "", true],
	["一年两次", "", "", "", "", true],
	["每季度不少于1次", "每季度不少于", "1", "次", "", true],
	["每周2次以上", "每周", "2", "次以上", "", true],
	["每年十二期", "", "", "", "", true],
	["不少于十二期", "", "", "", "", true],
	["百分之九十五", "", "", "", "", true],
	["不超过5天", "不超过", "5", "天", "", true],
	["及时", "", "", "", "", false],
	["明显提升", "", "", "", "", false],
	["有效改善", "", "", "", "", false],
	["按合同要求", "", "", "", "", false],
	["以签订的协议为准", "", "", "", "", false],
	["进入全国先进行列", "", "", "", "", false],
	["逐步提高", "", "", "", "", false],
	["良好", "", "", "", "", false],
	["15", "", "15", "", "", false],
	["约等于15个", "约等于", "15", "个", "", false],
	["尽快完成", "", "", "", "", false],
	["长期", "", "", "", "", false],
]

# citations: the 政策依据 entry (title, number), and whether it cites a document.
citations := [
	["《中华人民共和国预算法》", "", true],
	["《关于印发〈成都市市级预算事前绩效评估管理实施细则〉的通知》", "", true],
	["《成都市“十四五”数字政府建设规划》", "", true],
	["《关于进一步优化地方政务服务便民热线的指导意见》（国办发〔2020〕53号）", "", true],
	["关于进一步优化地方政务服务便民热线的指导意见", "国办发〔2020〕53号", true],
	["根据成办发〔2019〕36号文件精神开展本项工作", "", true],
	["宝机编【2020】52号", "", true],
	["", "[2021]12号", true],
	["", "川财预(2019)5号", true],
	["关于深化政务公开加强政务服务的意见", "中办发[2011]22号", true],
	["成都市政务服务管理办法", "", true],
	["政务服务条例", "", true],
	["为进一步提升政务服务水平，根据区委区政府工作安排，结合我区实际，开展政务服务热线运行工作，保障群众诉求及时办理", "", false],
	["根据区委区政府工作安排", "", false],
	["上级要求", "", false],
	["按照工作需要", "", false],
	["区委常委会会议精神", "", false],
	["根据2021年度工作计划安排开展工作，确保完成全年目标任务", "", false],
	["项目属于民生实事，群众需求强烈", "", false],
	["依据相关文件", "", false],
]

# costings: 测算依据, and whether it shows a computation.
costings := [
	["坐席30个×1.5万元/个=45万元", true],
	["服务器10台*3万元", true],
	["人员20人x8万元/人·年", true],
	["按合同金额的3%计取监理费", true],
	["按6%计取", true],
	["按《成都市市级党政机关会议费管理办法》标准安排", true],
	["参照定额标准测算", true],
	["单价500元，共200人", true],
	["依据政府指导价测算", true],
	["三台×2万元", true],
	["根据实际需要安排", false],
	["以每年19.38万安排", false],
	["7W", false],
	["参照往年", false],
	["按上年预算安排", false],
	["合计51.71万元", false],
	["根据工作任务测算", false],
	["经测算需要资金45万元", false],
]

measurable_verdict(v) if data.budgetcheck.targets.measurable(v)

else := false

cites_verdict(d) if data.budgetcheck.targets.cites_document(d)

else := false

computes_verdict(text) if data.budgetcheck.targets.shows_computation(text)

else := false

test_verdicts_table_has_60_texts if {
	(count(values) + count(citations)) + count(costings) >= 60
}

test_verdicts_values if {
	wrong := [[text, want] |
		some [text, prefix, number, unit, date, want] in values
		measurable_verdict(build.value(text, prefix, number, unit, date)) != want
	]
	wrong == []
}

test_verdicts_citations if {
	wrong := [[title, number, want] |
		some [title, number, want] in citations
		cites_verdict({"title": title, "number": number}) != want
	]
	wrong == []
}

test_verdicts_costings if {
	wrong := [[text, want] |
		some [text, want] in costings
		computes_verdict(text) != want
	]
	wrong == []
}

# The same texts through the rules: a not-measurable value is a finding only
# when it has no number (a bare number is TARGET_VALUE_NO_UNIT).
test_verdicts_values_as_findings if {
	wrong := [text |
		some [text, prefix, number, unit, date, want] in values
		number == ""
		row := build.target("V", {"level2": "时效", "name": "完成时间", "value": build.value(text, prefix, number, unit, date)})
		inp := build.declared({}, array.concat(build.complete_targets("S1"), [row]))
		found := count(build.found("TARGET_VALUE_NOT_MEASURABLE")) > 0 with input as inp
		found == want
	]
	wrong == []
}

test_verdicts_citations_as_findings if {
	wrong := [title |
		some [title, number, want] in citations
		inp := build.declared({"policy_basis": [{"title": title, "number": number}]}, build.complete_targets("S1"))
		found := count(build.found("POLICY_BASIS_NO_DOCUMENT")) > 0 with input as inp
		found == want
	]
	wrong == []
}

test_verdicts_costings_as_findings if {
	wrong := [text |
		some [text, want] in costings
		inp := build.declared({"cost_basis_text": text}, build.complete_targets("S1"))
		found := count(build.found("COST_BASIS_NO_COMPUTATION")) > 0 with input as inp
		found == want
	]
	wrong == []
}
