package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Spill keeps the rows of a writer that must sort them before writing
// (summary.xlsx, 审核结果.xlsx) in a temporary file beside its outputs, so
// that only a small index per row stays in memory however many rows come.
type Spill[T any] struct {
	f   *os.File
	buf *bufio.Writer
	off int64
	rd  []byte
}

// Ref locates one spilled row: 12 bytes of an index entry.
type Ref struct {
	Off int64
	N   int32
}

// NewSpill creates the temporary file in dir, named after pattern as
// os.CreateTemp names it.
func NewSpill[T any](dir, pattern string) (*Spill[T], error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &Spill[T]{f: f, buf: bufio.NewWriterSize(f, 1<<16)}, nil
}

// Add appends one row and says where it is.
func (s *Spill[T]) Add(v T) (Ref, error) {
	bs, err := json.Marshal(v)
	if err != nil {
		return Ref{}, err
	}
	bs = append(bs, '\n')
	if _, err := s.buf.Write(bs); err != nil {
		return Ref{}, err
	}
	ref := Ref{Off: s.off, N: int32(len(bs))}
	s.off += int64(len(bs))
	return ref, nil
}

// Flush writes what is buffered; call it once all rows are added, before Get.
func (s *Spill[T]) Flush() error { return s.buf.Flush() }

// Get reads one row back.
func (s *Spill[T]) Get(ref Ref) (T, error) {
	var v T
	if cap(s.rd) < int(ref.N) {
		s.rd = make([]byte, ref.N)
	}
	s.rd = s.rd[:ref.N]
	if _, err := s.f.ReadAt(s.rd, ref.Off); err != nil && err != io.EOF {
		return v, fmt.Errorf("read back: %w", err)
	}
	if err := json.Unmarshal(s.rd, &v); err != nil {
		return v, fmt.Errorf("read back: %w", err)
	}
	return v, nil
}

// Discard closes and removes the file; a second call does nothing.
func (s *Spill[T]) Discard() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
}
