package batch

import (
	"context"
	"runtime"
	"sync"
)

// Ordered calls work(i) for every i in [0, n) on workers goroutines (0: one
// per CPU) and hands the results to sink one at a time in the order of i, so
// that what sink sees does not depend on the number of workers. At most four
// results per worker are held at once. When ctx is cancelled no new i is
// started; those in flight finish and reach sink. After sink's first error no
// new i is started either and no further result reaches it. Ordered returns
// how many results sink accepted, and sink's first error.
func Ordered[T any](ctx context.Context, n, workers int, work func(i int) T, sink func(i int, v T) error) (int, error) {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	type done struct {
		idx int
		v   T
	}
	jobs := make(chan int)
	results := make(chan done, workers)
	window := make(chan struct{}, 4*workers) // started but not yet handed to sink
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results <- done{i, work(i)}
			}
		}()
	}
	stop := make(chan struct{})
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case <-ctx.Done():
				return
			case <-stop:
				return
			case window <- struct{}{}:
			}
			if ctx.Err() != nil {
				<-window
				return
			}
			jobs <- i
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	pending := map[int]T{}
	next, accepted := 0, 0
	var sinkErr error
	for d := range results {
		pending[d.idx] = d.v
		for {
			v, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			idx := next
			next++
			<-window
			if sinkErr != nil {
				continue
			}
			if err := sink(idx, v); err != nil {
				sinkErr = err
				close(stop)
				continue
			}
			accepted++
		}
	}
	return accepted, sinkErr
}
