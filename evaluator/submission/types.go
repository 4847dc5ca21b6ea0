// Package submission holds a department's budget submission as written
// (schema budgetcheck/v1): the facts the policies judge, each with the file,
// line and column it came from.
package submission

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// SchemaV1 is the schema name a submission declares.
const SchemaV1 = "budgetcheck/v1"

// Submission is one project budget as the department submitted it.
//
// A list's max tag is the most items it may hold (too_many_items): far above
// any real submission, so that a generated or damaged file is refused as an
// input problem instead of running long in the policies.
type Submission struct {
	Schema      string       `yaml:"schema" required:"true"`
	Project     Project      `yaml:"project" required:"true"`
	Subprojects []Subproject `yaml:"subprojects" max:"1000"`
	Targets     []Target     `yaml:"targets" max:"10000"`
	Contracts   []Contract   `yaml:"contracts" max:"1000"`
	BudgetLines []BudgetLine `yaml:"budget_lines" max:"10000"`
	Waivers     []Waiver     `yaml:"waivers" max:"1000"`

	// File is the path the submission was read from.
	File string `yaml:"-"`
	// Positions maps every fact's path ("contracts[0].instalments[1].amount")
	// to where it stands in File.
	Positions map[string]Pos `yaml:"-"`
}

// Project is the 项目 section: what the money is for and who asks for it.
type Project struct {
	Name           string          `yaml:"name" required:"true"`
	Code           string          `yaml:"code"`
	BudgetUnit     string          `yaml:"budget_unit" required:"true"`
	Department     string          `yaml:"department"`
	Attribute      string          `yaml:"attribute" enum:"new,continuing"`
	Region         string          `yaml:"region"`
	FiscalYear     int             `yaml:"fiscal_year" required:"true"`
	Unit           string          `yaml:"unit" enum:"万元,元"`
	RequestedTotal decimal.Decimal `yaml:"requested_total" required:"true"`
	FiscalFunds    *Amount         `yaml:"fiscal_funds"`
	PublicService  bool            `yaml:"public_service"`
	Beneficiaries  []string        `yaml:"beneficiaries" max:"1000"`
	Need           string          `yaml:"need"`
	PolicyBasis    []Document      `yaml:"policy_basis" max:"1000"`
	Decisions      []Decision      `yaml:"decisions" max:"1000"`
	AnnualGoal     string          `yaml:"annual_goal"`
	LongTermGoal   string          `yaml:"long_term_goal"`
	CostBasisText  string          `yaml:"cost_basis_text"`
}

// Amount is an optional amount.
type Amount = decimal.Decimal

// Document is a policy document or plan cited as a basis (《…》 and its number).
type Document struct {
	Title  string `yaml:"title" required:"true"`
	Number string `yaml:"number"`
}

// Decision is a decision record: 常务会议, 党组会议, 会议纪要 and the like.
type Decision struct {
	Kind  string `yaml:"kind"`
	Title string `yaml:"title" required:"true"`
	Date  *Date  `yaml:"date"`
}

// Evidence is a piece of argumentation: an expert review, a legal review …
type Evidence struct {
	Kind  string `yaml:"kind" required:"true" enum:"expert_review,legal_review,meeting_minutes,feasibility_study,market_research,superior_review"`
	Title string `yaml:"title"`
}

// Subproject is one of the project's 子项目.
type Subproject struct {
	ID             string      `yaml:"id" required:"true"`
	Name           string      `yaml:"name" required:"true"`
	Kind           string      `yaml:"kind" enum:"it_construction,it_operations,service_outsourcing,construction,procurement,subsidy,other"`
	Attribute      string      `yaml:"attribute" enum:"new,continuing"`
	Basis          []Document  `yaml:"basis" max:"1000"`
	Decisions      []Decision  `yaml:"decisions" max:"1000"`
	Argumentation  []Evidence  `yaml:"argumentation" max:"1000"`
	Plan           *Document   `yaml:"plan"`
	QualityControl []string    `yaml:"quality_control" max:"1000"`
	Scope          *Scope      `yaml:"scope"`
	PriorPeriod    []PriorItem `yaml:"prior_period" max:"1000"`
}

// Scope is what a sub-project delivers, in named quantities.
type Scope struct {
	Quantities map[string]decimal.Decimal `yaml:"quantities" max:"1000"`
	NewItems   []string                   `yaml:"new_items" max:"1000"`
}

// PriorItem is an earlier investment the sub-project builds on.
type PriorItem struct {
	Name  string   `yaml:"name" required:"true"`
	Years string   `yaml:"years"`
	Items []string `yaml:"items" max:"1000"`
}

// Target is one row of the 绩效目标申报表.
type Target struct {
	ID          string `yaml:"id"`
	Level1      string `yaml:"level1" required:"true"`
	Level2      string `yaml:"level2" required:"true"`
	Name        string `yaml:"name" required:"true"`
	Value       string `yaml:"value"`
	Explanation string `yaml:"explanation"`
	Subproject  string `yaml:"subproject"`
	DerivedFrom string `yaml:"derived_from"`
}

// Contract is a signed, intended or pending contract and its payment terms.
type Contract struct {
	ID          string        `yaml:"id" required:"true"`
	Name        string        `yaml:"name" required:"true"`
	Subproject  string        `yaml:"subproject"`
	Supplier    string        `yaml:"supplier"`
	Signed      *Date         `yaml:"signed"`
	Status      string        `yaml:"status" required:"true" enum:"signed,intent,pending"`
	Total       *Amount       `yaml:"total"`
	Term        string        `yaml:"term"`
	Components  []Component   `yaml:"components" max:"100"`
	Instalments []Instalment  `yaml:"instalments" max:"360"`
	Cycle       *CyclePayment `yaml:"cycle_payment"`
	Predecessor *Predecessor  `yaml:"predecessor"`
}

// Component is a part bundled into a contract's total, such as 3年运行维护费.
type Component struct {
	Name               string          `yaml:"name" required:"true"`
	Kind               string          `yaml:"kind" required:"true" enum:"maintenance,construction,service,other"`
	Amount             decimal.Decimal `yaml:"amount" required:"true"`
	ServiceStart       *Date           `yaml:"service_start"`
	AssessmentCriteria bool            `yaml:"assessment_criteria"`
}

// Instalment is one payment of a contract, by ratio or amount, due in a year
// or on a trigger.
type Instalment struct {
	Ratio   *Percent `yaml:"ratio"`
	Amount  *Amount  `yaml:"amount"`
	DueYear int      `yaml:"due_year"`
	Trigger string   `yaml:"trigger"`
	Paid    bool     `yaml:"paid"`
}

// CyclePayment is a service paid after each assessment cycle.
type CyclePayment struct {
	AnnualFee     decimal.Decimal `yaml:"annual_fee" required:"true"`
	CyclesPerYear int             `yaml:"cycles_per_year" required:"true"`
	ServiceStart  *Date           `yaml:"service_start"`
	TermYears     int             `yaml:"term_years" required:"true"`
}

// Predecessor is the earlier contract a continuing service replaces.
type Predecessor struct {
	ID        string   `yaml:"id"`
	Name      string   `yaml:"name" required:"true"`
	AnnualFee *Amount  `yaml:"annual_fee"`
	Unpaid    []Arrear `yaml:"unpaid" max:"360"`
}

// Arrear is an amount of an earlier contract that fell due and is unpaid.
type Arrear struct {
	Name    string          `yaml:"name" required:"true"`
	Amount  decimal.Decimal `yaml:"amount" required:"true"`
	DueYear int             `yaml:"due_year" required:"true"`
}

// BudgetLine is one row of the 项目经费测算明细表.
type BudgetLine struct {
	ID         string          `yaml:"id" required:"true"`
	Name       string          `yaml:"name" required:"true"`
	Subproject string          `yaml:"subproject"`
	Contract   string          `yaml:"contract"`
	Amount     decimal.Decimal `yaml:"amount" required:"true"`
	CostBasis  string          `yaml:"cost_basis" enum:"market_inquiry,expert_review,contract,standard,prior_year,none"`
	PriorYear  *Amount         `yaml:"prior_year"`
	Breakdown  bool            `yaml:"breakdown"`
}

// Waiver excuses a finding, with a reason and an expiry date.
type Waiver struct {
	Code       string `yaml:"code" required:"true"`
	Subject    string `yaml:"subject"`
	Reason     string `yaml:"reason"`
	ApprovedBy string `yaml:"approved_by"`
	Expires    *Date  `yaml:"expires"`
}

// Pos is where a fact stands in its file.
type Pos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Date is a calendar date (YYYY-MM-DD), without time or zone.
type Date struct{ time.Time }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

func (d Date) String() string { return d.Format(time.DateOnly) }

// Percent is a share written with a percent sign ("30%"); it holds the
// fraction (0.3).
type Percent struct{ decimal.Decimal }
