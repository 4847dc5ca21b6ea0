package submission

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// seedFixtures adds every YAML file under fixtures/ to the fuzzer's corpus.
func seedFixtures(f *testing.F) {
	err := filepath.WalkDir("../../fixtures", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && len(data) < 1<<20 {
			f.Add(data)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
}

// FuzzParse feeds the loader arbitrary bytes: it must never panic, a refused
// file must come with problems that have codes and lines in order, and a
// loaded submission must survive Marshal and Parse with the same facts.
func FuzzParse(f *testing.F) {
	seedFixtures(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sub, err := Parse("fuzz.yaml", data)
		if err != nil {
			ps, ok := err.(Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("Parse failed without problems: %v", err)
			}
			for i, p := range ps {
				if p.Code == "" || p.Message == "" || p.Pos.File != "fuzz.yaml" {
					t.Fatalf("problem without code, message or file: %+v", p)
				}
				if i > 0 && p.Pos.Line < ps[i-1].Pos.Line {
					t.Fatalf("problems not sorted by line: %v", ps)
				}
			}
			return
		}
		out, err := Marshal(sub)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := Parse("fuzz.yaml", out)
		if err != nil {
			t.Fatalf("the marshalled submission does not load: %v\n%s", err, out)
		}
		if !sameFacts(reflect.ValueOf(*sub), reflect.ValueOf(*again)) {
			t.Fatalf("the facts changed in a round trip:\n%s", out)
		}
		out2, err := Marshal(again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("Marshal is not stable (%v):\n%s\n---\n%s", err, out, out2)
		}
	})
}

func TestMarshalRoundTripFixtures(t *testing.T) {
	files, _ := filepath.Glob("../../fixtures/*/submission.yaml")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		sub, err := Load(file, Options{})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out, err := Marshal(sub)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(file, out)
		if err != nil {
			t.Fatalf("%s: the marshalled submission does not load: %v", file, err)
		}
		if !sameFacts(reflect.ValueOf(*sub), reflect.ValueOf(*again)) {
			t.Errorf("%s: the facts changed in a round trip", file)
		}
	}
}

// sameFacts compares two submissions' facts: decimals by value, dates by
// day, a nil list like an empty one; File and Positions are not facts.
func sameFacts(a, b reflect.Value) bool {
	t := a.Type()
	switch {
	case t == decimalType:
		return a.Interface().(Amount).Equal(b.Interface().(Amount))
	case t == percentType:
		return a.Interface().(Percent).Equal(b.Interface().(Percent).Decimal)
	case t == dateType:
		return a.Interface().(Date).Equal(b.Interface().(Date).Time)
	}
	switch t.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameFacts(a.Elem(), b.Elem())
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameFacts(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !sameFacts(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range t.NumField() {
			if name := t.Field(i).Name; name == "File" || name == "Positions" {
				continue
			}
			if !sameFacts(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	}
	return a.Interface() == b.Interface()
}
