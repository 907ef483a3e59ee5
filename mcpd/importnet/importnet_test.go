package importnet

import "testing"

func TestImportDialControl(t *testing.T) {
	tests := []struct {
		addr     string
		loopback bool
		ok       bool
	}{
		{"127.0.0.1:443", false, false},
		{"127.0.0.1:443", true, true},
		{"[::1]:443", true, true},
		{"10.1.2.3:443", true, false},
		{"192.168.0.1:443", true, false},
		{"[fe80::1]:443", true, false},
		{"[fd00::1]:443", true, false},
		{"100.64.0.1:443", true, false},
		{"0.0.0.0:443", true, false},
		{"224.0.0.1:443", true, false},
		{"[64:ff9b::a00:1]:443", true, false},
		{"[::ffff:172.16.0.1]:443", true, false},
		{"93.184.216.34:443", false, true},
	}
	for _, tc := range tests {
		err := controlFor(tc.loopback)("tcp", tc.addr, nil)
		if (err == nil) != tc.ok {
			t.Errorf("control(%s, loopback=%v) = %v, want ok=%v", tc.addr, tc.loopback, err, tc.ok)
		}
	}
}
