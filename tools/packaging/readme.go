package packaging

import (
	"regexp"
	"strings"
)

// markdownLink is a Markdown link or image: its "!" for an image, then its target (a path, maybe
// with an "#anchor"), then an optional title.
var markdownLink = regexp.MustCompile(`(!?)\[([^\]]*)\]\(([^)\s]+)((?:\s+"[^"]*")?)\)`)

// AbsoluteLinks makes the README's relative links absolute, for the catalog's page, where a
// relative link leads nowhere (the validator's brokenlinks analyzer refuses them): images point
// into files (the repository's raw files), other links into docs (its rendered pages). Anchors
// within the README, mail and web links stay as they are.
func AbsoluteLinks(readme []byte, docs, files string) []byte {
	return markdownLink.ReplaceAllFunc(readme, func(link []byte) []byte {
		m := markdownLink.FindSubmatch(link)
		target := string(m[3])
		if strings.HasPrefix(target, "#") || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			return link
		}
		base := docs
		if len(m[1]) > 0 {
			base = files
		}
		abs := strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(strings.TrimPrefix(target, "./"), "/")
		return []byte(string(m[1]) + "[" + string(m[2]) + "](" + abs + string(m[4]) + ")")
	})
}
