package portal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"

	"landwatch/internal/testtool"
)

// cjkFace is one CJK font a phone or an office PC may render the portal in: the Debian package that
// installs it (.ci/install names each), its files and the family name the browser reports.
type cjkFace struct {
	Package string
	Files   []string
	Family  string
}

// cjkFaces are the CJK faces Debian offers that the portal supports. The layout tests render every
// page in each of them alone (cjkFontEnv), so a page that fits only in the face of the machine it
// was written on fails here. The first is the face of the full phone walk (TestPhoneLayout).
var cjkFaces = []cjkFace{
	{"fonts-noto-cjk", []string{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"}, "Noto Sans CJK SC"},
	{"fonts-wqy-zenhei", []string{"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"}, "WenQuanYi Zen Hei"},
	{"fonts-wqy-microhei", []string{"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"}, "WenQuanYi Micro Hei"},
	{"fonts-arphic-uming", []string{"/usr/share/fonts/truetype/arphic/uming.ttc"}, "AR PL UMing CN"},
	{"fonts-droid-fallback", []string{"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"}, "Droid Sans Fallback"},
	{"fonts-lxgw-wenkai", []string{"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Bold.ttf"}, "LXGW WenKai"},
}

// latinFace is the Latin face beside each CJK face (fonts-dejavu-core): the fallback for a glyph a
// CJK face lacks, as on any machine.
var latinFace = []string{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"}

// cjkFontEnv returns the environment that makes chromium see the face and the Latin fallback and
// nothing else: a fontconfig file of the test's own whose every family (sans-serif, system-ui,
// monospace, the names in style.css …) resolves to the face. A missing font is installed with the
// project's own setup (.ci/install), as chromium is; still missing, the test fails.
func cjkFontEnv(t *testing.T, face cjkFace) chromedp.ExecAllocatorOption {
	t.Helper()
	files := append(slices.Clone(face.Files), latinFace...)
	testtool.Files(t, files...)
	dir := t.TempDir()
	fonts := filepath.Join(dir, "fonts")
	if err := os.Mkdir(fonts, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.Symlink(f, filepath.Join(fonts, filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	conf := fmt.Sprintf(`<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>%s</dir>
  <cachedir>%s</cachedir>
  <match target="pattern">
    <edit name="family" mode="prepend" binding="strong"><string>%s</string></edit>
  </match>
</fontconfig>
`, fonts, filepath.Join(dir, "cache"), face.Family)
	path := filepath.Join(dir, "fonts.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return chromedp.Env("FONTCONFIG_FILE="+path, "FONTCONFIG_PATH="+dir)
}

// renderedFaces are the families chromium drew the text of the first element sel matches in, most
// glyphs first (the DevTools protocol's platform fonts of the element's text).
func renderedFaces(ctx context.Context, sel string) ([]string, error) {
	var out []string
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, dom.Enable, dom.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, css.Enable, cdp.Empty{}); err != nil {
			return err
		}
		doc, err := cdp.Call(ctx, t, dom.GetDocument, dom.GetDocumentParams{})
		if err != nil {
			return err
		}
		q, err := cdp.Call(ctx, t, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: sel})
		if err != nil {
			return err
		}
		if q.NodeID == 0 {
			return fmt.Errorf("no element %s", sel)
		}
		fonts, err := cdp.Call(ctx, t, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: q.NodeID})
		if err != nil {
			return err
		}
		slices.SortFunc(fonts.Fonts, func(a, b *css.PlatformFontUsage) int { return int(b.GlyphCount - a.GlyphCount) })
		for _, f := range fonts.Fonts {
			out = append(out, f.FamilyName)
		}
		return nil
	}))
	return out, err
}

// assertFace fails the test unless the CJK text of sel was drawn in the face.
func assertFace(t *testing.T, ctx context.Context, sel string, face cjkFace) {
	t.Helper()
	got, err := renderedFaces(ctx, sel)
	if err != nil {
		t.Fatalf("fonts of %s: %v", sel, err)
	}
	if len(got) == 0 || !strings.EqualFold(got[0], face.Family) {
		t.Fatalf("%s drawn in %v, want %s (%s)", sel, got, face.Family, face.Package)
	}
	t.Logf("%s drawn in %s (Debian package %s)", sel, got[0], face.Package)
}

// TestFontsInstalledByCI: every face the layout tests render in is a package .ci/install installs.
func TestFontsInstalledByCI(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", ".ci", "install"))
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "fonts=("); ok {
			listed = strings.Fields(strings.TrimSuffix(rest, ")"))
		}
	}
	for _, f := range cjkFaces {
		if !slices.Contains(listed, f.Package) {
			t.Errorf(".ci/install does not install %s (fonts=(…) lists %v)", f.Package, listed)
		}
	}
	if !slices.Contains(listed, "fonts-dejavu-core") {
		t.Errorf(".ci/install does not install fonts-dejavu-core, the Latin face beside the CJK ones")
	}
}
