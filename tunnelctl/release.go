package tunnelctl

import (
	"fmt"
	"runtime"
)

// CloudflaredVersion is the official cloudflared release tunnelctl installs.
// Bumping it means updating every hash in PinnedAssets in the same commit.
const CloudflaredVersion = "2026.7.2"

// DefaultReleaseBaseURL is where official cloudflared releases are published;
// the asset URL is BaseURL + "/" + Version + "/" + File.
const DefaultReleaseBaseURL = "https://github.com/cloudflare/cloudflared/releases/download"

// MaxAssetBytes caps a download (and an extracted binary); real assets are ~40 MiB.
const MaxAssetBytes = 128 << 20

// Asset is one platform's release file and the SHA-256 it must have.
type Asset struct {
	File    string // file name in the release
	Archive bool   // a .tgz holding a file named "cloudflared"
	SHA256  string // lowercase hex of the whole file
}

// AssetTable maps "GOOS/GOARCH" to the asset for that platform.
type AssetTable map[string]Asset

// PinnedAssets returns the checksums of the official CloudflaredVersion release.
// A fresh map each call, so no caller can alter the pinned values.
func PinnedAssets() AssetTable {
	return AssetTable{
		"darwin/arm64":  {"cloudflared-darwin-arm64.tgz", true, "0588df58494a6cadd38b9deb6078908a5054063c80784d92fdb8d4a5f3de1c67"},
		"darwin/amd64":  {"cloudflared-darwin-amd64.tgz", true, "a5afb0ba3da859da47bebc9a918d5b196bf7e4aec23589419b46356731bcc75f"},
		"linux/arm64":   {"cloudflared-linux-arm64", false, "405df476437e027fc6d18729a5a77155c0a33a6082aeee60a799a688f3052e66"},
		"linux/arm":     {"cloudflared-linux-arm", false, "80dc01d7e284f269395824de841f8c7396c6641871eacc46add53a394b4548f4"},
		"linux/amd64":   {"cloudflared-linux-amd64", false, "ec905ea7b7e327ff8abdde8cb64697a2152de74dbcdbf6aec9db8364eb3886cd"},
		"linux/386":     {"cloudflared-linux-386", false, "cbad04f2700ae4d4971fe07e9ded67327142f2d3338aef86ae04e6042f7ce990"},
		"windows/amd64": {"cloudflared-windows-amd64.exe", false, "cdb5d4432f6ae1595654a692a51308b69d2bf7af961f5578d9391837cf072df9"},
		"windows/386":   {"cloudflared-windows-386.exe", false, "32decf512bb37dfcf8f915e923b8132803cb0f7262995d0b168495694b1ee2d7"},
	}
}

// Platform is the running GOOS/GOARCH key of an AssetTable.
func Platform() string { return runtime.GOOS + "/" + runtime.GOARCH }

// Lookup returns the asset for platform or an error telling the user what to do instead.
func (t AssetTable) Lookup(platform string) (Asset, error) {
	a, ok := t[platform]
	if !ok {
		return Asset{}, fmt.Errorf("automatic cloudflared install is not supported on %s: install cloudflared manually and pass --cloudflared PATH", platform)
	}
	return a, nil
}

// binaryName is the installed file name for a platform.
func binaryName(platform string) string {
	if len(platform) > 8 && platform[:8] == "windows/" {
		return "cloudflared.exe"
	}
	return "cloudflared"
}
