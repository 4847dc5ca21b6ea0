package serve

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// maxProjects bounds the projects of one batch of the page.
const maxProjects = 5000

// webBatch is what a reviewer uploaded on the page: the projects and their
// result documents by language (evaluated in the upload's language, and in
// the other one when the page is first switched to it).
type webBatch struct {
	id      string
	created time.Time

	mu       sync.Mutex
	inputs   int
	projects []project
	docs     map[string][]*result.Document
	// dir is the batch's private folder ("" until a workbook is kept): its
	// workbooks, for their annotated copies; removed with the batch.
	dir       string
	workbooks []workbook
	closed    bool
}

// workbook is an uploaded workbook the batch keeps for its annotated copy:
// its projects are projects[First:First+Count].
type workbook struct {
	Name         string // the uploaded name, a label
	Path         string // in the batch's private folder, under a random name
	First, Count int
	FiscalYear   int // the year it was imported with
}

// close removes the batch's private folder. A download that has its file
// open still reads it to the end.
func (b *webBatch) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	if b.dir != "" {
		os.RemoveAll(b.dir)
		b.dir, b.workbooks = "", nil
	}
}

// keep moves an uploaded workbook, whose projects are the count from first
// on, into the batch's private folder (made under parent); b.mu is held.
// The file is then the batch's: f.Path is cleared. A batch that is gone
// keeps nothing (the caller discards the file).
func (b *webBatch) keep(f *file, first, count, fiscalYear int, parent string) error {
	if b.closed {
		return nil
	}
	if b.dir == "" {
		dir, err := os.MkdirTemp(parent, "batch-*")
		if err != nil {
			return err
		}
		b.dir = dir
	}
	path := filepath.Join(b.dir, filepath.Base(f.Path))
	if err := os.Rename(f.Path, path); err != nil {
		return err
	}
	f.Path = ""
	b.workbooks = append(b.workbooks, workbook{Name: f.Name, Path: path, First: first, Count: count, FiscalYear: fiscalYear})
	return nil
}

// results returns the batch's documents in lang, evaluating the projects
// that do not have one yet.
func (b *webBatch) results(ctx context.Context, e Engine, lang string) ([]*result.Document, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fill(ctx, e, lang)
}

// fill evaluates in lang the projects that have no document in it; b.mu is held.
func (b *webBatch) fill(ctx context.Context, e Engine, lang string) ([]*result.Document, error) {
	docs := b.docs[lang]
	for len(docs) < len(b.projects) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		doc, _ := evaluate(ctx, e, lang, b.projects[len(docs)])
		docs = append(docs, doc)
		b.docs[lang] = docs
	}
	return slices.Clone(docs), nil
}

// store keeps the page's batches in memory, each for ttl, at most max of
// them (the oldest is dropped first).
type store struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	batches map[string]*webBatch
}

func newStore(max int, ttl time.Duration) *store {
	return &store{max: max, ttl: ttl, batches: map[string]*webBatch{}}
}

// create makes a new empty batch under a random id.
func (s *store) create() *webBatch {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(time.Now())
	for len(s.batches) >= s.max {
		var oldest *webBatch
		for _, b := range s.batches {
			if oldest == nil || b.created.Before(oldest.created) {
				oldest = b
			}
		}
		delete(s.batches, oldest.id)
		go oldest.close() // a request may hold its lock
	}
	b := &webBatch{id: randomID(), created: time.Now(), docs: map[string][]*result.Document{}}
	s.batches[b.id] = b
	return b
}

// get returns the batch of id, or nil when there is none (or no more).
func (s *store) get(id string) *webBatch {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(time.Now())
	return s.batches[id]
}

func (s *store) expire(now time.Time) {
	for id, b := range s.batches {
		if now.Sub(b.created) > s.ttl {
			delete(s.batches, id)
			go b.close()
		}
	}
}

func (s *store) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.batches) // their folders go with the server's (Close)
}
