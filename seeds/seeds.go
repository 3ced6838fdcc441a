// Package seeds carries the sources nocbot answers from, embedded so the
// binary carries its knowledge and runs from any directory.
//
// Every *.txt file in this directory is a profile in the FLYabroad NOC format
// (one unit group per file); adding a profile means dropping a file here and
// rebuilding. The noc2021 directory holds Statistics Canada's official NOC
// 2021 Version 1.0 files, unchanged (see noc2021/README.md). The package
// knows where the files are, never what they mean.
package seeds

import (
	"embed"
	"io/fs"
)

//go:embed *.txt
var files embed.FS

// The official files only: the README and .gitattributes beside them are
// for people and git, not for the importer.
//
//go:embed noc2021/*.csv
var noc2021Files embed.FS

// nocbot's own words for the NOC 2021 groups: Chinese names and aliases,
// and the word lists job matching reads.
//
//go:embed noc2021/*.tsv
var noc2021Chinese embed.FS

// FS returns the embedded profile files, one per unit group, at its root.
func FS() fs.FS { return files }

// NOC2021 returns the embedded official NOC 2021 Version 1.0 files
// (classification structure, elements, NOC 2016 → 2021 correspondence) at
// its root, byte for byte as published.
func NOC2021() fs.FS { return sub(noc2021Files) }

// NOC2021Chinese returns nocbot's own words for NOC 2021 at its root:
// names.zh.tsv (a name for every broad category, major and unit group),
// aliases.zh.tsv (everyday words for unit groups), and the job matcher's
// word lists (duties.zh.tsv, duties.en.tsv, everyday.en.tsv,
// everyday.zh.tsv). None is official.
func NOC2021Chinese() fs.FS { return sub(noc2021Chinese) }

func sub(fsys embed.FS) fs.FS {
	s, err := fs.Sub(fsys, "noc2021")
	if err != nil {
		// fs.Sub fails only on an invalid path; "noc2021" is a constant.
		panic(err)
	}
	return s
}
