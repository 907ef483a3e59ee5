package privfile

import (
	"fmt"
	"io/fs"
	"unsafe"

	"golang.org/x/sys/windows"
)

// writeRights are the access bits that let a holder change a file or what
// a directory contains, or take those rights.
const writeRights = windows.FILE_WRITE_DATA | windows.FILE_APPEND_DATA | windows.FILE_WRITE_EA |
	windows.FILE_WRITE_ATTRIBUTES | windows.DELETE | windows.WRITE_DAC | windows.WRITE_OWNER |
	windows.GENERIC_WRITE | windows.GENERIC_ALL

// CheckPrivate refuses p unless the current user (or Administrators or
// SYSTEM, who can change anything anyway) owns it and its DACL grants write
// access to nobody else. Windows mode bits say nothing about other users,
// so they are not consulted.
func CheckPrivate(p string, _ fs.FileInfo) error {
	sd, err := windows.GetNamedSecurityInfo(p, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("refusing %s: cannot read its owner and access list: %w", p, err)
	}
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return fmt.Errorf("refusing %s: cannot identify the current user: %w", p, err)
	}
	me := user.User.Sid
	trusted := func(sid *windows.SID) bool {
		return sid.Equals(me) || sid.IsWellKnown(windows.WinLocalSystemSid) || sid.IsWellKnown(windows.WinBuiltinAdministratorsSid)
	}
	owner, _, err := sd.Owner()
	if err != nil || owner == nil {
		return fmt.Errorf("refusing %s: no owner recorded", p)
	}
	if !trusted(owner) {
		return fmt.Errorf("refusing %s: owned by %s, not by you (%s)", p, owner, me)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		return fmt.Errorf("refusing %s: no access list, so everyone may modify it", p)
	}
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return fmt.Errorf("refusing %s: read access list entry %d: %w", p, i, err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Mask&writeRights == 0 {
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if !trusted(sid) && !sid.IsWellKnown(windows.WinCreatorOwnerSid) {
			return fmt.Errorf("refusing %s: its access list lets %s modify it (icacls %q /inheritance:r /grant:r %%USERNAME%%:F)", p, sid, p)
		}
	}
	return nil
}
