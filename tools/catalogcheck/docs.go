package catalogcheck

import (
	"archive/zip"
	"bytes"
	"mime"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
)

var (
	htmlComment   = regexp.MustCompile(`(?s)<!--(.*?)-->`)
	markdownLinks = regexp.MustCompile(`\[.+?\]\((.+?)\)`)
	headings      = regexp.MustCompile(`(?m)^(#{1,6})\s+(.+?)\s*$`)
	codeFence     = regexp.MustCompile("(?ms)^```.*?^```")
	installTitle  = regexp.MustCompile(`(?i)\b(install|getting started|get started|set ?up|quick ?start)`)
)

// checkReadme checks the README the catalog shows as the plugin's page: not empty (readme), no
// HTML comments (readme), not the scaffold's (templatereadme), links that work on the catalog's
// page, so absolute (brokenlinks; whether they answer needs the network and is not checked), and
// the sections a reader needs first, as the catalog's review guidelines ask: a title, what the
// plugin is for, then how to install it and get started.
func checkReadme(r *Report, where string, body []byte) {
	if htmlComment.Match(body) {
		r.add("readme", "readme-comment", Warning, where, "holds an HTML comment, which the catalog shows as text")
	}
	if templateTitle.Match(body) {
		r.add("templatereadme", "template-readme", Error, where, "is create-plugin's template README: describe the plugin")
	}
	for _, m := range markdownLinks.FindAllSubmatch(body, -1) {
		target := string(m[1])
		if fields := strings.Fields(target); len(fields) > 0 {
			target = fields[0] // an image's title follows its path
		}
		if strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") ||
			strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
			continue
		}
		r.add("brokenlinks", "relative-link", Error, where, "the relative link %q breaks on the catalog's page: make it absolute (https://...)", target)
	}
	checkReadmeSections(r, where, body)
}

// checkReadmeSections wants a title, an introduction before the first section, and a section on
// installing or getting started.
func checkReadmeSections(r *Report, where string, body []byte) {
	// a '#' line in a code block is no heading: blank the blocks, keeping every offset
	body = codeFence.ReplaceAllFunc(body, func(b []byte) []byte { return bytes.Repeat([]byte(" "), len(b)) })
	found := headings.FindAllSubmatchIndex(body, -1)
	if len(found) == 0 || string(body[found[0][2]:found[0][3]]) != "#" {
		r.add("readme", "missing-readme", Error, where, "starts with no '# ' title naming the plugin")
		return
	}
	introEnd := len(body)
	if len(found) > 1 {
		introEnd = found[1][0]
	}
	if len(bytes.TrimSpace(body[found[0][1]:introEnd])) == 0 {
		r.add("readme", "missing-readme", Error, where, "has no introduction under its title: say what the plugin is for")
	}
	for _, h := range found[1:] {
		if installTitle.Match(body[h[4]:h[5]]) {
			return
		}
	}
	r.add("readme", "missing-readme", Error, where, "has no section on installing or getting started (a heading with Install, Getting started or Setup)")
}

// licenses are the licenses the catalog accepts (license: BSD, MIT, Apache 2.0, LGPL 3, GPL 3,
// AGPL 3), by the words that open their text. The validator recognises the text with
// go-license-detector; these openings are the part of it a file cannot do without.
var licenses = []struct{ name, opening string }{
	{"Apache-2.0", "Apache License\nVersion 2.0"},
	{"MIT", "Permission is hereby granted, free of charge"},
	{"BSD", "Redistribution and use in source and binary forms"},
	{"AGPL-3.0", "GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3"},
	{"LGPL-3.0", "GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3"},
	{"GPL-3.0", "GNU GENERAL PUBLIC LICENSE\nVersion 3"},
}

// checkLicense wants a license the catalog accepts, its template's blanks filled in.
func checkLicense(r *Report, where string, body []byte) {
	text := strings.Join(strings.Fields(string(body)), " ")
	known := false
	for _, l := range licenses {
		if strings.Contains(text, strings.Join(strings.Fields(l.opening), " ")) {
			known = true
			break
		}
	}
	if !known {
		r.add("license", "license-not-valid", Error, where, "is not a license the catalog accepts (Apache-2.0, MIT, BSD, GPL-3.0, LGPL-3.0 or AGPL-3.0)")
	}
	if strings.Contains(text, "{name of copyright owner}") || strings.Contains(text, "{yyyy}") {
		r.add("license", "license-with-generic-text", Warning, where, "still holds the template's {yyyy} or {name of copyright owner}")
	}
}

// imageTypes are the screenshot formats the catalog shows.
var imageTypes = []string{"image/jpeg", "image/png", "image/gif", "image/svg+xml"}

// checkImage checks a screenshot's content is an image of a type the catalog shows, the type its
// extension says (screenshots).
func checkImage(r *Report, name string, f *zip.File) {
	body, err := readMember(f)
	if err != nil {
		r.add("screenshots", "screenshots-image-type", Error, name, "%v", err)
		return
	}
	head := body[:min(len(body), 512)]
	kind := http.DetectContentType(head)
	if (strings.Contains(kind, "text/plain") || strings.Contains(kind, "text/xml")) && bytes.Contains(head, []byte("<svg")) {
		kind = "image/svg+xml"
	}
	switch {
	case !slices.Contains(imageTypes, kind):
		r.add("screenshots", "screenshots-image-type", Error, name, "is %s; the catalog shows %s", kind, strings.Join(imageTypes, ", "))
	case mime.TypeByExtension(path.Ext(name)) != kind:
		r.add("screenshots", "screenshots-image-type", Error, name, "is %s, which its extension %q does not say", kind, path.Ext(name))
	}
}
