package privfile

// CheckPrivate refuses a file or directory that another user could change:
// they could otherwise pin, or swap in, a program of their choosing. It is
// implemented per OS (private_unix.go: mode bits and owner uid;
// private_windows.go: owner SID and the write grants of the DACL).
