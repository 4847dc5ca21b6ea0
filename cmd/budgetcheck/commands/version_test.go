package commands

import (
	"runtime/debug"
	"testing"
)

func TestDescribeVersion(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "094bc707093e83e95903755b699951e34bfbb00f"},
		{Key: "vcs.time", Value: "2026-12-02T09:39:19Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	for _, c := range []struct {
		name     string
		v        string
		settings []debug.BuildSetting
		want     string
	}{
		{"go run: nothing stamped", "(devel)", nil, "(devel)"},
		{"no version at all", "", nil, "(devel)"},
		{"built from a clone with changes", "(devel)", vcs, "(devel) 094bc707093e 2026-12-02T09:39:19Z (modified)"},
		{"a clean tree", "v0.0.0-20261202093919-094bc707093e", vcs[:3], "v0.0.0-20261202093919-094bc707093e 094bc707093e 2026-12-02T09:39:19Z"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := describeVersion(c.v, c.settings); got != c.want {
				t.Errorf("describeVersion = %q, want %q", got, c.want)
			}
		})
	}
}
