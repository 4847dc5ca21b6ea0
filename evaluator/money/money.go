// Package money reads and converts budget amounts without ever passing them
// through a float: amounts are decimal.Decimal in the submission's unit and
// int64 fen (分) inside the policies.
package money

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Unit is a currency unit a submission may state its amounts in.
type Unit struct {
	Name      string // as written in the submission: "万元" or "元"
	English   string // for English output
	fenPer    int64  // fen in one unit
	maxPlaces int32  // decimals a written amount may carry
}

var (
	// WanYuan is 万元, ten thousand yuan: the default unit of budget documents.
	// Amounts are exact to 0.0001 万元 (one yuan).
	WanYuan = Unit{Name: "万元", English: "10k CNY", fenPer: 1_000_000, maxPlaces: 4}
	// Yuan is 元; amounts are exact to 0.01 元 (one fen).
	Yuan = Unit{Name: "元", English: "CNY", fenPer: 100, maxPlaces: 2}
)

// Units lists the accepted units by name.
var Units = map[string]Unit{WanYuan.Name: WanYuan, Yuan.Name: Yuan}

// LookupUnit returns the unit named name ("" means 万元).
func LookupUnit(name string) (Unit, bool) {
	if name == "" {
		return WanYuan, true
	}
	u, ok := Units[name]
	return u, ok
}

// MaxPlaces is the number of decimals an amount in u may carry.
func (u Unit) MaxPlaces() int32 { return u.maxPlaces }

// Errors returned by Parse and ParseIn; callers match them with errors.Is to
// choose an error code.
var (
	ErrEmpty        = errors.New("empty amount")
	ErrSyntax       = errors.New("not a plain decimal number")
	ErrExponent     = errors.New("exponent notation is not accepted for money")
	ErrNotFinite    = errors.New("NaN and infinity are not amounts")
	ErrSeparator    = errors.New("thousands separators are not accepted")
	ErrUnitSuffix   = errors.New("write the amount without a unit; the unit is project.unit")
	ErrUnitMismatch = errors.New("the amount is written in another unit than the submission's")
	ErrNegative     = errors.New("amounts are written as positive numbers")
	ErrPrecision    = errors.New("too many decimals")
	ErrRange        = errors.New("too large")
)

// unitSuffixes are the unit words an amount may be followed by, longest first.
var unitSuffixes = []string{"万元", "元", "万"}

// Parse reads an amount written as a plain decimal ("90.4", "-2.325", "0").
// It never goes through float64, and it refuses what it could mis-read:
// exponents, thousands separators, unit suffixes, NaN and infinities.
func Parse(text string) (decimal.Decimal, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return decimal.Decimal{}, ErrEmpty
	}
	lower := strings.ToLower(strings.TrimLeft(s, "+-"))
	switch {
	case lower == "nan" || lower == ".nan" || strings.HasPrefix(lower, "inf") || strings.HasPrefix(lower, ".inf"):
		return decimal.Decimal{}, ErrNotFinite
	case strings.ContainsAny(s, ",，"):
		return decimal.Decimal{}, ErrSeparator
	case strings.HasSuffix(s, "元") || strings.HasSuffix(s, "万"):
		return decimal.Decimal{}, ErrUnitSuffix
	}
	digits, point := 0, false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' && !point:
			point = true
		case r == '-' && i == 0:
		case (r == 'e' || r == 'E') && digits > 0:
			return decimal.Decimal{}, ErrExponent
		default:
			return decimal.Decimal{}, ErrSyntax
		}
	}
	if digits == 0 || strings.HasSuffix(s, ".") || strings.HasPrefix(strings.TrimPrefix(s, "-"), ".") {
		return decimal.Decimal{}, ErrSyntax
	}
	return decimal.NewFromString(s)
}

// ParseIn reads an amount of a submission whose unit is u: a positive plain
// decimal with at most u.MaxPlaces() decimals that converts to int64 fen. The
// amount may repeat u's own name ("90.4万元" when u is 万元, since that
// cannot be mis-read); another unit ("904000元" when u is 万元) is refused,
// never converted.
func ParseIn(text string, u Unit) (decimal.Decimal, error) {
	s := strings.TrimSpace(text)
	for _, suffix := range unitSuffixes {
		if num, ok := strings.CutSuffix(s, suffix); ok {
			if suffix != u.Name {
				return decimal.Decimal{}, fmt.Errorf("%w: %q is in %s, the submission's amounts are in %s (project.unit)", ErrUnitMismatch, text, suffix, u.Name)
			}
			s = strings.TrimSpace(num)
			break
		}
	}
	d, err := Parse(s)
	if err != nil {
		return d, err
	}
	if d.IsNegative() {
		return decimal.Decimal{}, ErrNegative
	}
	if -d.Exponent() > u.maxPlaces {
		return decimal.Decimal{}, fmt.Errorf("%w: at most %d in %s (exact to %s %s)", ErrPrecision, u.maxPlaces, u.Name, decimal.New(1, -u.maxPlaces), u.Name)
	}
	if _, err := ToFen(d, u); err != nil {
		return decimal.Decimal{}, fmt.Errorf("%w: %v", ErrRange, err)
	}
	return d, nil
}

// ToFen converts an amount in unit u to integer fen. It fails when the amount
// is not a whole number of fen or does not fit in int64.
func ToFen(d decimal.Decimal, u Unit) (int64, error) {
	f := d.Mul(decimal.NewFromInt(u.fenPer))
	if !f.IsInteger() {
		return 0, fmt.Errorf("%s %s is not a whole number of fen", d, u.Name)
	}
	if f.Abs().GreaterThan(decimal.NewFromInt(1 << 62)) {
		return 0, fmt.Errorf("%s %s is too large", d, u.Name)
	}
	return f.IntPart(), nil
}

// FromFen converts integer fen to an amount in unit u, exactly.
func FromFen(fen int64, u Unit) decimal.Decimal {
	return decimal.NewFromInt(fen).Div(decimal.NewFromInt(u.fenPer))
}

// Share returns the part of fen that ratio (e.g. 0.4) stands for, rounded
// half-up to a whole fen.
func Share(fen int64, ratio decimal.Decimal) int64 {
	return decimal.NewFromInt(fen).Mul(ratio).Round(0).IntPart()
}

// Format writes d in the shortest exact form ("222.445", "-20", "0").
func Format(d decimal.Decimal) string {
	return d.String()
}
