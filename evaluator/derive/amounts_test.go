package derive

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

func TestTextAmounts(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Doc
	}{
		{"total after items", "服务器采购 30万元，运维服务 21.71万元，合计51.71万元", []Doc{
			{"fen": int64(30_000_000), "text": "30万元", "before": "服务器采购"},
			{"fen": int64(21_710_000), "text": "21.71万元", "before": "运维服务"},
			{"fen": int64(51_710_000), "text": "51.71万元", "before": "合计"},
		}},
		{"bare 万 and product", "坐席服务30个×1.5万元=45万元，合计51.71万", []Doc{
			{"fen": int64(1_500_000), "text": "1.5万元", "before": "坐席服务30个×"},
			{"fen": int64(45_000_000), "text": "45万元", "before": "="},
			{"fen": int64(51_710_000), "text": "51.71万", "before": "合计"},
		}},
		{"yuan with separators", "合计517,100元", []Doc{{"fen": int64(51_710_000), "text": "517,100元", "before": "合计"}}},
		{"not money", "改造面积3万平方米，服务10万人次，文号〔2020〕12号", []Doc{}},
		{"empty", "", []Doc{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := textAmounts(tt.text)
			want := make([]any, len(tt.want))
			for i, d := range tt.want {
				want[i] = d
			}
			if got.Value.Compare(ast.MustInterfaceToValue(want)) != 0 {
				t.Errorf("textAmounts(%q)\n got %v\nwant %v", tt.text, got, want)
			}
		})
	}
}
