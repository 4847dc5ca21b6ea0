package commands

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/term"
)

// prepareOutputFile applies the one rule every command follows for where it
// writes: a missing folder is created, as batch --out and import -o always
// did, and a folder that cannot be created or written is a usage error
// (exit 2) found before any work, not after the evaluation.
func prepareOutputFile(flag, path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s %s is a folder; give a file name", flag, path)
	}
	return prepareOutputDir(flag, filepath.Dir(path))
}

// prepareOutputDir creates dir when it is missing and checks that a file can
// be written in it.
func prepareOutputDir(flag, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: cannot create the folder %s: %w", flag, dir, err)
	}
	f, err := os.CreateTemp(dir, ".budgetcheck-*.probe")
	if err != nil {
		return fmt.Errorf("%s: cannot write into %s: %w", flag, dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth is the width of the terminal w is, or 0 (the outputs'
// default) when it is not one.
func terminalWidth(w any) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width < 40 {
		return 0
	}
	return width
}
