//go:build !unix

package media

// processCPU returns -1: process CPU time is not measured on this system.
func processCPU() int64 { return -1 }
