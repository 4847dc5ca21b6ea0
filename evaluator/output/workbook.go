package output

import (
	"archive/zip"
	"bufio"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteWorkbook writes f to path atomically, with its zip entries in name
// order: excelize writes streamed sheets in map order, and a file must be the
// same bytes from run to run. The archive goes to a temporary file beside
// path through a zip writer of our own (excelize would build it in memory),
// and its entries are then copied in order without recompressing them, so
// memory stays flat however many rows the streamed sheets hold.
func WriteWorkbook(path string, f *excelize.File) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.zip")
	if err != nil {
		return err
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	zw := zip.NewWriter(tmp)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zw })
	if _, err := f.WriteTo(io.Discard); err != nil { // closes zw
		return err
	}
	st, err := tmp.Stat()
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(tmp, st.Size())
	if err != nil {
		return err
	}
	entries := slices.Clone(zr.File)
	slices.SortFunc(entries, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	return WriteFile(path, func(bw *bufio.Writer) error {
		zw := zip.NewWriter(bw)
		for _, e := range entries {
			hdr := e.FileHeader
			dst, err := zw.CreateRaw(&hdr)
			if err != nil {
				return err
			}
			src, err := e.OpenRaw()
			if err != nil {
				return err
			}
			if _, err := io.Copy(dst, src); err != nil {
				return err
			}
		}
		return zw.Close()
	})
}
