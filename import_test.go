package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportAddressesCommand loads an OpenAddresses-shaped file, loads it
// again (nothing added twice), loads a changed copy (updated), and refuses a
// file that cannot be read without losing what is already there.
func TestImportAddressesCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("pine.csv", "LON,LAT,NUMBER,STREET,UNIT,CITY,POSTCODE\n"+
		"-93.1,44.9,12,Main St,,Pineville,55555\n"+
		"-93.1,44.9,12,Main St,3,Pineville,55555\n"+
		"-93.2,95,14,Main St,,Pineville,55555\n"+
		"-93.2,44.8,16,Oak Ave,,Pineville,55555\n"+
		"-93.2,44.8,16,Oak Avenue,,Pineville,55555\n")
	code, out := run(t, dir, "import", "addresses", good)
	if code != 0 || !strings.Contains(out, "3 addresses loaded, 0 updated, 0 unchanged, 2 refused.") ||
		!strings.Contains(out, "line 4 refused: the latitude must be between -90 and 90") ||
		!strings.Contains(out, "line 6 refused: repeats line 5") {
		t.Fatalf("first import (%d):\n%s", code, out)
	}
	code, out = run(t, dir, "import", "addresses", good)
	if code != 0 || !strings.Contains(out, "0 addresses loaded, 0 updated, 3 unchanged, 2 refused.") {
		t.Fatalf("same file again (%d):\n%s", code, out)
	}
	moved := write("moved.csv", "Y,X,ADD_NUMBER,ST_NAME,POST_COMM,ZIP_CODE,PIN\n44.95,-93.15,12,Main Street,Pineville,55555,27-001\n")
	code, out = run(t, dir, "import", "addresses", moved)
	if code != 0 || !strings.Contains(out, "0 addresses loaded, 1 updated, 0 unchanged, 0 refused.") {
		t.Fatalf("moved point (%d):\n%s", code, out)
	}
	for name, text := range map[string]string{
		"columns.csv": "A,B\n1,2\n",
		"quote.csv":   "NUMBER,STREET,LAT,LON\n20,Elm St,44.9,-93.1\n22,\"Elm St,44.9,-93.1\n",
		"latin1.csv":  "NUMBER,STR\xc9ET,LAT,LON\n",
	} {
		code, out = run(t, dir, "import", "addresses", write(name, text))
		if code == 0 || !strings.Contains(out, "nothing was imported") {
			t.Errorf("%s (%d):\n%s", name, code, out)
		}
	}
	code, out = run(t, dir, "import", "addresses", "--column", "colour=PAINT", good)
	if code == 0 || !strings.Contains(out, `"colour" is not a field`) {
		t.Errorf("--column colour (%d):\n%s", code, out)
	}
	// what was imported is all still there
	code, out = run(t, dir, "import", "addresses", good)
	if code != 0 || !strings.Contains(out, "0 addresses loaded, 1 updated, 2 unchanged, 2 refused.") {
		t.Fatalf("after the refused files (%d):\n%s", code, out)
	}
}
