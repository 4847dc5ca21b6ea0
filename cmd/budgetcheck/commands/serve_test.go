package commands_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRefusesToStart: beyond loopback a token is required, and a
// token must be long; neither case ever listens.
func TestServeRefusesToStart(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"all interfaces without a token", []string{"serve", "--addr", "0.0.0.0:0"}, "give --token or --token-file"},
		{"no host without a token", []string{"serve", "--addr", ":0"}, "give --token or --token-file"},
		{"a short token", []string{"serve", "--addr", "127.0.0.1:0", "--token", "secret"}, "shorter than 16"},
		{"an empty token file", []string{"serve", "--token-file", empty}, "is empty"},
		{"token and token file", []string{"serve", "--token", "0123456789abcdef", "--token-file", empty}, "not both"},
		{"bad language", []string{"serve", "--lang", "fr"}, "--lang"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}
