// Package ruleset loads a ruleset: Rego modules, the data beside them
// (params.*, every number, word list and text), the manifest, and the
// catalogue of indicators and findings read from # METADATA and data.
package ruleset

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"
)

// Ruleset is a loaded ruleset, ready to compile.
type Ruleset struct {
	Manifest Manifest
	// Source says where the ruleset came from ("embedded:chengdu" or a directory).
	Source string
	// Modules are the policy modules by file name; TestModules the *_test.rego
	// ones, empty when the ruleset was loaded without them (LoadPolicies).
	Modules     map[string]*ast.Module
	TestModules map[string]*ast.Module
	// Data is the merged data document the policies see as data.
	Data map[string]any
	// Catalog describes the indicators, findings, basic items and conclusion bands.
	Catalog *Catalog

	// What Load read, kept to reload with more data (WithData) and to tell
	// which file and line set a value the schema refuses.
	sources, overrides []Source
	dataFiles          []dataFile
	schemas            []schemaSource
	// withTests: Load read the *_test.rego modules too (LoadPolicies did not).
	withTests bool
	// parser parses the Rego files while the rest is read.
	parser *regoParser
}

// Manifest is the ruleset's identity and scope (manifest.yaml, key ruleset).
type Manifest struct {
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Region      string   `json:"region"`
	Title       Text     `json:"title"`
	FiscalYears Years    `json:"fiscal_years"`
	Documents   []string `json:"documents"`
	// Procedure is what the ruleset does: "pre_evaluation" (事前绩效评估, the
	// default) or "target_review" (绩效目标审核).
	Procedure string `json:"procedure,omitempty"`
	// Libraries are the rule libraries the ruleset imports, as paths from
	// the folder that holds the ruleset ("lib/targets"): their Rego and data
	// load with the ruleset, their data under the ruleset's own.
	Libraries []string `json:"libraries,omitempty"`
}

// Procedures a manifest may name.
const (
	PreEvaluation = "pre_evaluation"
	TargetReview  = "target_review"
)

// Years is an inclusive range of fiscal years.
type Years struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Covers reports whether the range holds year.
func (y Years) Covers(year int) bool { return year >= y.From && year <= y.To }

// Source is one place to read a ruleset from: a file system and the
// directory inside it, and the name shown in messages for that directory.
// The ruleset's libraries are read from the folder above Dir in FS, or, when
// that folder does not hold them, from Fallback (the embedded policies).
type Source struct {
	FS       fs.FS
	Dir      string
	Display  string
	Fallback fs.FS
}

// Load reads one or more ruleset directories (later ones add to earlier
// ones) and then deep-merges the override data documents over their data.
// Every problem found comes back in one error.
//
// The merged data must match every data.schema.json of the ruleset
// directories: otherwise Load returns DataErrors, each naming the file and
// line that set the value, before anything is compiled or evaluated.
func Load(sources []Source, overrides []Source) (*Ruleset, error) {
	return load(sources, overrides, true)
}

// LoadPolicies reads a ruleset as Load does, without its *_test.rego
// modules: what evaluating needs. The tests are more than half of the
// embedded Rego, and parsing them was a third of every command's start-up;
// policy test and policy check, which run or compile them, use Load.
func LoadPolicies(sources []Source, overrides []Source) (*Ruleset, error) {
	return load(sources, overrides, false)
}

func load(sources []Source, overrides []Source, withTests bool) (*Ruleset, error) {
	rs := &Ruleset{Modules: map[string]*ast.Module{}, TestModules: map[string]*ast.Module{}, Data: map[string]any{}, sources: sources, overrides: overrides, withTests: withTests, parser: &regoParser{}}
	var problems []string
	var names []string
	for _, src := range sources {
		names = append(names, src.Display)
		problems = append(problems, rs.addDir(src.FS, src.Dir, src.Display)...)
	}
	problems = append(problems, rs.addLibraries(sources)...)
	for _, o := range overrides {
		if err := rs.addData(o.FS, o.Dir, o.Display); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", o.Display, err))
		}
	}
	problems = append(problems, rs.parser.wait(rs)...)
	rs.Source = strings.Join(names, ",")
	if len(problems) == 0 && len(rs.Modules) == 0 {
		problems = append(problems, fmt.Sprintf("%s: no Rego policies found", rs.Source))
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	if err := rs.validateData(); err != nil {
		return nil, err
	}
	if err := decode(rs.Data["ruleset"], &rs.Manifest); err != nil {
		return nil, fmt.Errorf("%s: manifest.yaml: %w", rs.Source, err)
	}
	catalog, err := buildCatalog(rs)
	if err != nil {
		return nil, err
	}
	rs.Catalog = catalog
	return rs, nil
}

// addDir reads every file under dir.
func (rs *Ruleset) addDir(fsys fs.FS, dir, display string) []string {
	var problems []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		name := path.Join(display, strings.TrimPrefix(strings.TrimPrefix(p, dir), "/"))
		if err := rs.addFile(fsys, p, name); err != nil {
			problems = append(problems, err.Error())
		}
		return nil
	})
	if err != nil {
		problems = append(problems, fmt.Sprintf("%s: %v", display, err))
	}
	return problems
}

// addLibraries reads the libraries the manifest names (ruleset.libraries):
// from the folder above the first source that holds them, else from its
// Fallback. Their data goes under the ruleset's, so that the ruleset's own
// data.yaml can change a library's parameter.
func (rs *Ruleset) addLibraries(sources []Source) []string {
	var m Manifest
	if err := decode(rs.Data["ruleset"], &m); err != nil || len(m.Libraries) == 0 {
		return nil // a bad manifest is reported when the ruleset is decoded
	}
	lib := &Ruleset{Modules: rs.Modules, TestModules: rs.TestModules, Data: map[string]any{}, withTests: rs.withTests, parser: rs.parser}
	var problems []string
	for _, name := range m.Libraries {
		found := false
		for _, src := range sources {
			if dir := path.Join(path.Dir(src.Dir), name); isDir(src.FS, dir) {
				problems = append(problems, lib.addDir(src.FS, dir, libraryDisplay(src.Display, name))...)
				found = true
				break
			}
			if src.Fallback != nil && isDir(src.Fallback, path.Clean(name)) {
				problems = append(problems, lib.addDir(src.Fallback, path.Clean(name), "embedded:"+path.Clean(name))...)
				found = true
				break
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("%s: manifest.yaml: library %s not found beside the ruleset", strings.Join(displays(sources), ","), name))
		}
	}
	merge(lib.Data, rs.Data)
	rs.Data = lib.Data
	// a library's data comes first: the ruleset's own files set what they repeat
	rs.dataFiles = append(lib.dataFiles, rs.dataFiles...)
	rs.schemas = append(lib.schemas, rs.schemas...)
	return problems
}

func isDir(fsys fs.FS, dir string) bool {
	if !fs.ValidPath(dir) {
		return false
	}
	st, err := fs.Stat(fsys, dir)
	return err == nil && st.IsDir()
}

// libraryDisplay names a library beside a ruleset shown as display.
func libraryDisplay(display, name string) string {
	if rest, ok := strings.CutPrefix(display, "embedded:"); ok {
		return "embedded:" + path.Join(path.Dir(rest), name)
	}
	return path.Join(path.Dir(display), name)
}

func displays(sources []Source) []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = s.Display
	}
	return out
}

func (rs *Ruleset) addFile(fsys fs.FS, p, display string) error {
	switch path.Ext(p) {
	case ".rego":
		test := strings.HasSuffix(p, "_test.rego")
		if test && !rs.withTests {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rs.parser.parse(display, src, test)
	case ".yaml", ".yml", ".json":
		if path.Base(p) == SchemaFile {
			src, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			rs.schemas = append(rs.schemas, schemaSource{display: display, src: src})
			return nil
		}
		if err := rs.addData(fsys, p, display); err != nil {
			return fmt.Errorf("%s: %w", display, err)
		}
	}
	return nil
}

// regoParser parses a ruleset's Rego files on every CPU, while the data and
// schemas are read: parsing was a third of a command's start-up.
type regoParser struct {
	wg   sync.WaitGroup
	cpus chan struct{}
	jobs []*parseJob
}

type parseJob struct {
	display string
	test    bool
	module  *ast.Module
	err     error
}

// parse starts parsing one file.
func (p *regoParser) parse(display string, src []byte, test bool) {
	if p.cpus == nil {
		p.cpus = make(chan struct{}, runtime.GOMAXPROCS(0))
	}
	j := &parseJob{display: display, test: test}
	p.jobs = append(p.jobs, j)
	p.wg.Go(func() {
		p.cpus <- struct{}{}
		defer func() { <-p.cpus }()
		j.module, j.err = ast.ParseModuleWithOpts(display, string(src), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	})
}

// wait puts the parsed modules into rs and returns the parse errors, in the
// order the files were read.
func (p *regoParser) wait(rs *Ruleset) []string {
	p.wg.Wait()
	var problems []string
	for _, j := range p.jobs {
		switch {
		case j.err != nil:
			problems = append(problems, FormatErrors(j.err))
		case j.test:
			rs.TestModules[j.display] = j.module
		default:
			rs.Modules[j.display] = j.module
		}
	}
	return problems
}

// addData reads a YAML or JSON data document, keeping numbers exact, and
// deep-merges it into the ruleset's data.
func (rs *Ruleset) addData(fsys fs.FS, p, display string) error {
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := util.Unmarshal(src, &doc); err != nil {
		return err
	}
	// merge keeps parts of doc, so the record is a copy of its own
	kept := deepCopy(doc).(map[string]any)
	rs.dataFiles = append(rs.dataFiles, dataFile{display: display, src: src, doc: kept})
	merge(rs.Data, doc)
	return nil
}

// deepCopy copies a decoded data document: its mappings and lists are new,
// its scalars (strings, json.Number, bools) are shared, as they are never
// changed in place.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}

// WithData loads the ruleset again with more data overrides after its own,
// with its tests if it was loaded with them.
func (rs *Ruleset) WithData(overrides ...Source) (*Ruleset, error) {
	return load(rs.sources, append(slices.Clone(rs.overrides), overrides...), rs.withTests)
}

// merge deep-merges src into dst: mappings merge key by key, anything else
// in src replaces what dst has.
func merge(dst, src map[string]any) {
	for k, v := range src {
		sub, isMap := v.(map[string]any)
		cur, curIsMap := dst[k].(map[string]any)
		if isMap && curIsMap {
			merge(cur, sub)
			continue
		}
		dst[k] = v
	}
}

// decode converts a generic data value into a typed one.
func decode(v any, out any) error {
	bs, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return util.UnmarshalJSON(bs, out)
}

// AllModules returns the policy and test modules together, sorted by name.
func (rs *Ruleset) AllModules() map[string]*ast.Module {
	all := make(map[string]*ast.Module, len(rs.Modules)+len(rs.TestModules))
	for _, group := range []map[string]*ast.Module{rs.Modules, rs.TestModules} {
		for k, m := range group {
			all[k] = m
		}
	}
	return all
}

// ModuleNames lists the policy modules' names in order.
func (rs *Ruleset) ModuleNames() []string {
	names := make([]string, 0, len(rs.Modules))
	for k := range rs.Modules {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
