//go:build !unix

package hooks

// freeSpace is not known on this system: uploads are not checked ahead.
func freeSpace(string) (uint64, bool) { return 0, false }

// diskSpace is not known on this system.
func diskSpace(string) (free, total uint64, ok bool) { return 0, 0, false }
