package pb_public

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
)

// TestVendoredLibrariesArePinned: every vendored library carries its licence
// and the exact version package.json pins; where node_modules is installed
// (npm ci), the committed copy is byte for byte what npm run vendor makes.
func TestVendoredLibrariesArePinned(t *testing.T) {
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	b, err := os.ReadFile("../package.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	libs, err := fs.ReadDir(FS, "vendor")
	if err != nil {
		t.Fatal(err)
	}
	for _, lib := range libs {
		name := lib.Name()
		if _, ok := vendorLibraries[name]; !ok {
			t.Errorf("vendor/%s is not listed in vendorLibraries (which pages may load it)", name)
		}
		if _, err := fs.Stat(FS, path.Join("vendor", name, "LICENSE")); err != nil {
			t.Errorf("vendor/%s has no LICENSE", name)
		}
		v, _ := fs.ReadFile(FS, path.Join("vendor", name, "VERSION"))
		want := name + " " + pkg.DevDependencies[name]
		if strings.TrimSpace(string(v)) != want {
			t.Errorf("vendor/%s/VERSION is %q; package.json pins %q: run npm ci && npm run vendor", name, v, want)
		}
		// every file, images in sub-folders too, is the package's own
		_ = fs.WalkDir(FS, path.Join("vendor", name), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() == "VERSION" {
				return err
			}
			got, _ := fs.ReadFile(FS, p)
			rel := strings.TrimPrefix(p, path.Join("vendor", name)+"/")
			for _, src := range []string{path.Join("../node_modules", name, rel), path.Join("../node_modules", name, "dist", rel)} {
				if orig, err := os.ReadFile(src); err == nil && !bytes.Equal(orig, got) {
					t.Errorf("vendor/%s/%s differs from %s: run npm run vendor", name, rel, src)
				}
			}
			return nil
		})
	}
}
