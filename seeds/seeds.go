// Package seeds carries the occupation profiles that nocbot answers from.
//
// Every *.txt file in this directory is a profile in the FLYabroad NOC format
// (one unit group per file). They are embedded so the binary carries its
// knowledge and runs from any directory; adding a profile means dropping a
// file here and rebuilding.
package seeds

import (
	"embed"
	"io/fs"
)

//go:embed *.txt
var files embed.FS

// FS returns the embedded profile files, one per unit group, at its root.
func FS() fs.FS { return files }
