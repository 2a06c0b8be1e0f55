//go:build !unix

package hooks

// freeSpace is not known on this system: uploads are not checked ahead.
func freeSpace(string) (uint64, bool) { return 0, false }
