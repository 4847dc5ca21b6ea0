package serve

import (
	"context"
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
		}
	}
}

func (s *store) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.batches)
}
