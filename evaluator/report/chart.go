package report

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// Chart is the bar chart of points against maximum per applicable
// indicator, as inline SVG.
type Chart struct {
	Caption string
	SVG     template.HTML
}

// Chart geometry, in SVG user units (1 unit = 1 CSS px).
const (
	chartLabel = 190 // width of the indicator names
	chartBars  = 360 // width of the longest bar
	chartRow   = 17  // height of one indicator's row
	chartBar   = 10  // height of a bar
	chartTop   = 26  // room for the legend
)

// chart draws one row per applicable indicator: a light bar for the
// maximum, a dark bar for the points over it, and "points/max" after it.
// Coordinates are computed with decimals, like every figure of the report.
func chart(doc *result.Document, lang string) Chart {
	var rows []result.Indicator
	top := decimal.Zero
	for _, ind := range doc.Indicators {
		if ind.Applicable && ind.Score != nil {
			rows = append(rows, ind)
			top = decimal.Max(top, ind.Max)
		}
	}
	c := Chart{Caption: label("chart", lang)}
	if len(rows) == 0 || !top.IsPositive() {
		return c
	}
	width := chartLabel + chartBars + 70
	height := chartTop + len(rows)*chartRow + 8
	x := func(v decimal.Decimal) string {
		return v.Mul(decimal.NewFromInt(chartBars)).DivRound(top, 1).String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		width, height, width, height, template.HTMLEscapeString(c.Caption))
	fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="10" class="max"/><text x="%d" y="15">%s</text>`, chartLabel, chartLabel+16, template.HTMLEscapeString(label("chart_max", lang)))
	fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="10" class="pts"/><text x="%d" y="15">%s</text>`, chartLabel+80, chartLabel+96, template.HTMLEscapeString(label("chart_points", lang)))
	for i, ind := range rows {
		y := chartTop + i*chartRow
		barY := y + (chartRow-chartBar)/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, chartLabel-8, y+chartRow/2+5, template.HTMLEscapeString(ind.Title))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" class="max"/>`, chartLabel, barY, x(ind.Max), chartBar)
		if ind.Score.IsPositive() {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" class="pts"/>`, chartLabel, barY, x(*ind.Score), chartBar)
		}
		fmt.Fprintf(&b, `<text x="%s" y="%d" class="val">%s/%s</text>`, decimal.NewFromInt(chartLabel+6).Add(decimal.RequireFromString(x(ind.Max))).String(), y+chartRow/2+5, ind.Score.String(), ind.Max.String())
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, chartLabel, chartTop-2, chartLabel, chartTop+len(rows)*chartRow)
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String())
	return c
}
