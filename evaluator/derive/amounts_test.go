package derive

import (
	"reflect"
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

// TestTextAmountsSpellings: the spellings real 测算依据 use.
func TestTextAmountsSpellings(t *testing.T) {
	tests := []struct {
		text string
		fen  []int64
	}{
		{"以每年19.38万安排", []int64{19_380_000}},
		{"7W", []int64{7_000_000}},
		{"约7w，按实际", []int64{7_000_000}},
		{"3万元/年，共3年", []int64{3_000_000}},
		{"单价1,200元", []int64{120_000}},
		{"五万元", []int64{5_000_000}},
		{"补助十二万元，另两千五百元", []int64{12_000_000, 250_000}},
		{"一万二千元", []int64{1_200_000}},
		{"服务10万人次，3万平方米，2万册", nil},
		{"Windows7W", nil},
		{"根据实际需要安排", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []int64
			for _, a := range TextAmounts(tt.text) {
				got = append(got, a.Fen)
			}
			if !reflect.DeepEqual(got, tt.fen) {
				t.Errorf("TextAmounts(%q) = %v fen, want %v", tt.text, got, tt.fen)
			}
		})
	}
}
