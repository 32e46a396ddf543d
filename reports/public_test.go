package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// chartOption extracts the ECharts option of a chart from a page.
func chartOption(t *testing.T, page, id string) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`(?m)let option_` + id + ` = (\{.*\});?\s*$`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no chart %s in page", id)
	}
	var opt map[string]any
	if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
		t.Fatalf("chart %s option: %v", id, err)
	}
	return opt
}

func TestPublicPageShowsOnlyPublishedSnapshot(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	var page bytes.Buffer
	if err := PublicPage(ctx, db, &page, PageOptions{CSVBase: "/public/stats/"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "尚未发布") || strings.Contains(page.String(), "option_pub_") {
		t.Fatalf("page before publishing shows figures:\n%s", page.String())
	}
	if err := PublicCSV(ctx, db, "tips", &bytes.Buffer{}); !errors.Is(err, ErrNotPublished) {
		t.Fatalf("CSV before publishing: %v", err)
	}
	snap, err := Publish(ctx, db, "media1")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := campaignWeeks(ctx, db, fixtureAsOf) // the figures published
	if err != nil {
		t.Fatal(err)
	}
	// Figures change after publishing: the public page must keep showing the snapshot.
	if _, err := db.ExecContext(ctx, `UPDATE mart_campaign_weekly SET tips_received = 9137, fines_yuan = 4242 WHERE iso_week = 12`); err != nil {
		t.Fatal(err)
	}
	page.Reset()
	if err := PublicPage(ctx, db, &page, PageOptions{CSVBase: "/public/stats/"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"9137", "4242"} {
		if strings.Contains(page.String(), bad) {
			t.Errorf("public page shows the unpublished figure %s", bad)
		}
	}
	if !strings.Contains(page.String(), "发布日期：") || !strings.Contains(page.String(), "数据截至2023-04-16") {
		t.Errorf("public page lacks the snapshot's date")
	}
	var prev bytes.Buffer
	if err := PreviewPage(ctx, db, &prev, PageOptions{CSVBase: "/x/"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(prev.String(), "9137") || !strings.Contains(prev.String(), "尚未公开") {
		t.Errorf("preview lacks the draft figure")
	}
	// Every small count of the snapshot is suppressed, in the page's charts and in the CSV.
	small := float64(snap.Stats.SmallCount)
	suppressed := 0
	shapes := map[string]int{}
	for _, c := range publicCharts {
		var csv bytes.Buffer
		if err := PublicCSV(ctx, db, c.id, &csv); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csv.String(), "\ufeff")), "\n")
		// a chart with a suppressed week is drawn by month (its weeks published nowhere), or is a
		// sentence when every month is suppressed too
		rows, _, ok := snap.Stats.chartRows(c.keys, c.title)
		raw := raw
		switch {
		case !ok:
			shapes["sentence"]++
			if !regexp.MustCompile(`<p class="note" id="pub_`+c.id+`">各周、各月的数目都小于5`).MatchString(page.String()) ||
				strings.Contains(page.String(), "option_pub_"+c.id+" ") || len(lines) != 1 {
				t.Errorf("%s: every month suppressed, want a sentence and an empty CSV: %q", c.id, lines)
			}
			continue
		case len(rows) == len(snap.Stats.Months) && !strings.Contains(rows[0].Week, "-W"):
			shapes["months"]++
			raw = monthRows(raw)
			if !strings.HasPrefix(lines[0], "月份,") {
				t.Errorf("%s.csv by month has the header %q", c.id, lines[0])
			}
		default:
			shapes["weeks"]++
			if !weekDays.MatchString(lines[1]) || strings.Contains(csv.String(), "-W") {
				t.Errorf("%s.csv labels weeks with ISO codes: %q", c.id, lines[1])
			}
		}
		opt := chartOption(t, page.String(), "pub_"+c.id)
		series := opt["series"].([]any)
		cats := opt["xAxis"].([]any)[0].(map[string]any)["data"].([]any)
		for _, c := range cats {
			if l := c.(string); strings.Contains(l, "-W") || strings.Contains(l, "第") || !(weekDays.MatchString(l) || strings.HasSuffix(l, "月")) {
				t.Errorf("axis label %q: want a week's dates or a month", l)
			}
		}
		if ya := opt["yAxis"].([]any)[0].(map[string]any); metricByKey(c.keys[0]).count && ya["minInterval"] != float64(1) {
			t.Errorf("%s: a count's axis steps by %v, want whole numbers", c.id, ya["minInterval"])
		}
		if len(lines) != len(raw)+1 {
			t.Fatalf("%s.csv has %d lines, want %d", c.id, len(lines), len(raw)+1)
		}
		for i, key := range c.keys {
			m := metricByKey(key)
			data := series[i].(map[string]any)["data"].([]any)
			for k, w := range raw {
				v := m.get(w)
				got := data[k].(map[string]any)["value"]
				cell := strings.Split(lines[k+1], ",")[2+i]
				switch {
				case m.count && v > 0 && v < small:
					suppressed++
					if got != "-" || cell != "<5" {
						t.Errorf("%s %s: small count %v shown as %v / %q", c.id, w.Week, v, got, cell)
					}
				case cell == "*":
					if got != "-" {
						t.Errorf("%s %s: hidden figure drawn as %v", c.id, w.Week, got)
					}
				case got == "-":
					t.Errorf("%s %s: %v not drawn (CSV %q)", c.id, w.Week, v, cell)
				case got.(float64) != v || cell != suppress(m, v, 5, false).Text:
					t.Errorf("%s %s: drawn %v, CSV %q, mart %v", c.id, w.Week, got, cell, v)
				}
			}
		}
	}
	if suppressed == 0 && shapes["months"]+shapes["sentence"] == 0 {
		t.Fatal("fixture has no small count to suppress")
	}
	if shapes["weeks"] == 0 || shapes["months"]+shapes["sentence"] == 0 {
		t.Errorf("charts by shape %v: want weekly charts and merged or replaced ones", shapes)
	}
	// restored land: only restoration accepted by the as-of (mart_restoration), never a patch area
	var mu float64
	if err := db.QueryRow(`SELECT CAST(coalesce(sum(accepted_mu), 0) AS DOUBLE) FROM mart_restoration WHERE accepted_on IS NOT NULL`).Scan(&mu); err != nil {
		t.Fatal(err)
	}
	if got := snap.Stats.Totals["area_restored_mu"].Text; mu == 0 || got != fmt.Sprintf("%.2f", mu) {
		t.Errorf("area restored: %s, want %.2f mu accepted", got, mu)
	}
	// the warehouse also holds restorations accepted after the as-of: they change nothing for it
	var later int
	if err := db.QueryRow(`SELECT count(*) FROM raw_restoration WHERE accepted_on > ?`, fixtureAsOf).Scan(&later); err != nil || later == 0 {
		t.Errorf("no restoration accepted after the as-of in the fixture (%d, %v)", later, err)
	}
	if err := PublicCSV(ctx, db, "nope", &bytes.Buffer{}); !errors.Is(err, ErrUnknownChart) {
		t.Errorf("unknown chart: %v", err)
	}
}

// TestSecondarySuppression: no hidden count can be worked out as the total minus the visible weeks.
func TestSecondarySuppression(t *testing.T) {
	cases := []struct {
		tips  []float64
		week  []string
		total string
	}{
		{[]float64{1, 0, 7, 9}, []string{"<5", "0", "*", "9"}, "17"}, // one small week: the smallest other hidden too
		{[]float64{3}, []string{"<5"}, "<5"},                         // nothing else to hide: the total is small itself
		{[]float64{2, 2, 20}, []string{"<5", "<5", "*"}, "24"},       // two small weeks add up to less than 5
		{[]float64{0, 6, 8}, []string{"0", "6", "8"}, "14"},          // nothing small
		{[]float64{4, 30}, []string{"<5", "*"}, "34"},                // the total gives only the sum of the two hidden weeks
	}
	for _, c := range cases {
		var weeks []weekRow
		for i, v := range c.tips {
			weeks = append(weeks, weekRow{Week: fmt.Sprintf("2023-W%02d", 10+i), TipsReceived: v, RewardsPaid: v, RewardsPaidYuan: 100 * v})
		}
		s := publicStats("县", "行动", fixtureAsOf, weeks, 5)
		for i, w := range s.Weeks {
			if got := w.Vals["tips_received"].Text; got != c.week[i] {
				t.Errorf("%v week %d: %q, want %q", c.tips, i, got, c.week[i])
			}
			if (w.Vals["rewards_paid"].Num == nil) != (w.Vals["rewards_paid_yuan"].Num == nil) {
				t.Errorf("%v week %d: reward amount shown without its count or hidden with it shown", c.tips, i)
			}
		}
		if got := s.Totals["tips_received"].Text; got != c.total {
			t.Errorf("%v total: %q, want %q", c.tips, got, c.total)
		}
	}
}

// weekDays is a week written by its dates (4月3日至9日, the first day and the rest maybe on two
// lines), never by an ISO week number (第14周, 2023-W14).
var weekDays = regexp.MustCompile(`^(\d{4}年)?\d{1,2}月\d{1,2}日\s*至(\d{4}年)?(\d{1,2}月)?\d{1,2}日`)
