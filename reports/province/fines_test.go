package province

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"landwatch/internal/testtool"
	"landwatch/queries"
)

// TestProvinceExportWithoutFines: a county whose export was written before mart_fines existed
// stays in the roll-up with every other figure; its 罚没款 is shown as unknown and the total counts
// only the counties that have it. A county with mart_fines has its 罚没款 read from it.
func TestProvinceExportWithoutFines(t *testing.T) {
	dirs := hostileProvince(t, 2)
	old := dirs[1]
	if err := os.Remove(filepath.Join(old, filepath.FromSlash(martFines))); err != nil {
		t.Fatal(err)
	}
	editManifest(t, old, func(m *queries.ExportManifest) {
		var files []queries.ExportFile
		for _, f := range m.Files {
			if f.Path != martFines {
				files = append(files, f)
			}
		}
		m.Files = files
		delete(m.Rows, "marts/mart_fines")
	})
	p := readProvince(t, dirs, ProvinceOptions{Day: time.Now()})
	with, without := countyNamed(t, p, dirs[0]), countyNamed(t, p, old)
	if !with.Figures() || !with.FinesKnown || with.FinesDecided <= 0 || with.FinesCollected <= 0 || with.FinesCollected > with.FinesDecided {
		t.Errorf("county with mart_fines: %s %q, known %v, decided %d, collected %d", with.Status, with.Problem, with.FinesKnown,
			with.FinesDecided, with.FinesCollected)
	}
	if !without.Figures() || without.FinesKnown || without.ViolationsDue == 0 {
		t.Errorf("county without mart_fines: %s %q, known %v, violations due %d", without.Status, without.Problem, without.FinesKnown, without.ViolationsDue)
	}
	if p.Total.FinesDecided != with.FinesDecided || p.Total.FinesCollected != with.FinesCollected {
		t.Errorf("total 罚没款 %d / %d, want the one county's %d / %d", p.Total.FinesDecided, p.Total.FinesCollected, with.FinesDecided, with.FinesCollected)
	}
	var pdf bytes.Buffer
	if err := ProvincePDF(p, time.Now(), &pdf); err != nil {
		t.Fatal(err)
	}
	if txt := squash(testtool.PDFText(t, pdf.Bytes())); !strings.Contains(txt, "导出无罚没款数据") {
		t.Error("the roll-up does not say which county's export has no 罚没款")
	}
}
