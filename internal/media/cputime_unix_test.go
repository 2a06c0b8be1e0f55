//go:build unix

package media

import "syscall"

// processCPU returns the CPU time (user + system) used by this process so
// far, in nanoseconds, or -1 if it is not available.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
