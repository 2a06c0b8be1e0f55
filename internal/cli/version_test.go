package cli

import (
	"strings"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	old := Version
	defer func() { Version = old }()
	Version = "1.4.0"
	if got := BuildVersion(); got != "1.4.0" {
		t.Errorf("with a release set: %q", got)
	}
	Version = ""
	if got := BuildVersion(); got == "" || strings.Contains(got, "untracked") {
		t.Errorf("without a release: %q", got)
	}
}
