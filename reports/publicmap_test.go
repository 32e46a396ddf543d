package reports

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/campaign"
)

// TestPublicMap: the published statistics count the ledger's items by village — the same totals
// as mart_ledger — with small counts suppressed (a village's statuses all hidden when one is),
// dots only for villages with enough located items, at a position rounded to 0.01°; the page
// draws the township boundaries as an SVG and lists every village.
func TestPublicMap(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	s, err := PublicStats(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Villages) == 0 {
		t.Fatal("no villages")
	}
	small := float64(s.SmallCount)
	var sum float64
	hiddenTotal := fmt.Sprintf("<%d", s.SmallCount)
	for _, v := range s.Villages {
		switch {
		case v.Items.Num != nil:
			sum += *v.Items.Num
			if *v.Items.Num < small {
				t.Errorf("%s %s: %v items shown", v.Township, v.Village, *v.Items.Num)
			}
		case v.Items.Text != hiddenTotal:
			t.Errorf("%s %s: items %q", v.Township, v.Village, v.Items.Text)
		}
		st := []Value{v.Rectified, v.Underway, v.Open}
		hidden := 0
		for _, x := range st {
			if x.Num == nil {
				hidden++
			} else if *x.Num > 0 && *x.Num < small {
				t.Errorf("%s %s: a small status count shown: %v", v.Township, v.Village, *x.Num)
			}
		}
		if hidden != 0 && hidden != 3 {
			t.Errorf("%s %s: only some statuses hidden: %+v", v.Township, v.Village, st)
		}
		if v.Lon != nil {
			if v.Items.Num == nil {
				t.Errorf("%s %s: a dot for a village with few items", v.Township, v.Village)
			}
			if r := *v.Lon * 100; r != float64(int64(r+0.5)) && r != float64(int64(r)) {
				t.Errorf("%s %s: position %v not rounded", v.Township, v.Village, *v.Lon)
			}
		}
	}
	var all, visible float64
	scan(t, db, `SELECT count(*) FROM mart_ledger`, &all)
	scan(t, db, fmt.Sprintf(`SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM mart_ledger GROUP BY township, coalesce(nullif(trim(village), ''), '%s') HAVING count(*) >= %d)`, unknownVillage, s.SmallCount), &visible)
	if sum != visible || all < visible {
		t.Errorf("villages shown add up to %v, the ledger's %v (all %v)", sum, visible, all)
	}
	// the tiny county's township boundaries, as `landwatch init --boundaries` stores them
	cfg, err := db.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bounds, err := campaign.LoadBoundaries(filepath.Join("..", "testdata", "tiny", "boundaries", "乡镇边界.geojson"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetBoundaries(ctx, bounds); err != nil {
		t.Fatal(err)
	}
	if _, err := Publish(ctx, db, "media1"); err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := PublicPage(ctx, db, &page, PageOptions{CSVBase: "/stats/", Back: "/tip", BackText: "我要举报"}); err != nil {
		t.Fatal(err)
	}
	p := page.String()
	bs, _ := db.Boundaries(ctx)
	if len(bs) == 0 || !strings.Contains(p, `<svg class="pubmap"`) || strings.Count(p, "<path ") != len(bs) || !strings.Contains(p, "<circle ") {
		t.Errorf("the map is not drawn over the %d townships", len(bs))
	}
	if !strings.Contains(p, "各村违法问题及整改情况") || !strings.Contains(p, `href="/tip">← 我要举报`) {
		t.Error("no village table or no way back to 我要举报")
	}
	t.Logf("%d villages, %d boundaries", len(s.Villages), len(bs))
}
