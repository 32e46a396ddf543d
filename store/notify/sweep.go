package notify

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/store/accounts"
	"landwatch/warehouse"
)

// overdueRule is one kind of item past its deadline: the query lists (recipient role, scope, ref,
// sentence, link) of the items overdue as of day; the model it reads must exist.
type overdueRule struct {
	model string
	query string
	args  func(cfg *campaign.Config, day time.Time) []any
	// key names the rule in its notices' dedupe key when not the model (a rule that moved to
	// another model keeps its key, so an item already told of is not told again)
	key string
}

// overdueRules: untriaged tips (int_tip_triage, a view over the portal's own table, there before
// any models run), price determinations, ledger items (and
// the acceptances overdue, to the accepting unit) and forms owed (the models of the last run).
var overdueRules = []overdueRule{
	{model: "int_tip_triage", query: `SELECT CASE WHEN confidential THEN 'discipline' ELSE 'office' END, '', tip_id,
			'举报 ' || tip_id || '（' || township || '）收到于 ' || strftime(received_on, '%Y-%m-%d') || '，已超过分拣期限仍未处理',
			'/staff/tips/' || tip_id
		FROM int_tip_triage WHERE waiting AND triage_due < CAST(? AS DATE)`,
		args: func(cfg *campaign.Config, day time.Time) []any { return []any{day} }, key: "tips"},
	{model: "mart_cases_pipeline", query: `SELECT 'office', '', case_id,
			'案件 ' || case_id || '（' || township || '）的价格认定应于 ' || strftime(price_due_on, '%Y-%m-%d') || ' 前完成，已逾期',
			'/staff/cases/' || case_id
		FROM mart_cases_pipeline WHERE price_late AND price_done_on IS NULL`},
	{model: "mart_ledger", query: `SELECT 'township', township, item_id,
			'问题 ' || item_id || '（' || coalesce(village, township) || '）整改期限 ' || strftime(deadline, '%Y-%m-%d') || ' 已过，仍为' || status_as_of,
			'/staff/accountability/' || item_id
		FROM mart_ledger WHERE overdue AND status_as_of <> '已整改'`},
	// a 重点 item declared done and not accepted in time (未验收): its accepting unit is told too
	{model: "int_ledger_items", query: `SELECT 'department', u.short_name, i.item_id,
			'问题 ' || i.item_id || '（' || coalesce(i.village, i.township) || '）' || strftime(i.rectified_on, '%Y-%m-%d') || ' 报整改完成，应于 ' ||
			strftime(i.acceptance_due, '%Y-%m-%d') || ' 前验收，已逾期未验收',
			'/staff/acceptance'
		FROM int_ledger_items i
		JOIN stg_config__parameters p ON p.as_of = i.as_of
		JOIN stg_config__units u ON u.unit = i.accepting_unit
		WHERE i.overdue AND i.overdue_reason = '未验收'`},
	{model: "mart_forms_owed", query: `SELECT 'township', township, township || '/' || coalesce(village, '') || '/' || form,
			coalesce(village, township) || '的' || form || '应于 ' || strftime(due_on, '%Y-%m-%d') || ' 前报送，至今未收到',
			'/staff/upload'
		FROM mart_forms_owed WHERE overdue`},
}

// Sweep sends an overdue notice for every item past its deadline as of day that has none yet; now
// is the campaign's local time. It returns how many it sent.
func Sweep(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, day, now time.Time) (int, error) {
	sent := 0
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		for _, r := range overdueRules {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, r.model).Scan(&n); err != nil {
				return err
			}
			if n == 0 { // the models have not run yet
				continue
			}
			var args []any
			if r.args != nil {
				args = r.args(cfg, day)
			}
			var due []Notice
			err := warehouse.EachRow(ctx, tx, r.query, args, func(rows *sql.Rows) error {
				var nt Notice
				var role string
				if err := rows.Scan(&role, &nt.To.Scope, &nt.Ref, &nt.Body, &nt.Link); err != nil {
					return err
				}
				nt.To.Role, nt.Kind, nt.Created = accounts.Role(role), KindOverdue, now
				nt.Dedupe = "overdue:" + cmp.Or(r.key, r.model) + ":" + nt.Ref
				due = append(due, nt)
				return nil
			})
			if err != nil {
				return fmt.Errorf("overdue items of %s: %w", r.model, err)
			}
			for _, nt := range due {
				ok, err := Send(ctx, tx, nt)
				if err != nil {
					return err
				}
				if ok {
					sent++
				}
			}
		}
		return nil
	})
	return sent, err
}

// Digest is one office's daily digest: the notices created on day and the older ones no account
// of the office has read.
type Digest struct {
	To      To
	Day     time.Time
	Notices []Notice
}

// Digests builds the digest of day for every office that has notices.
func Digests(ctx context.Context, q Queryer, day time.Time) ([]Digest, error) {
	offices, err := Offices(ctx, q)
	if err != nil {
		return nil, err
	}
	end := day.AddDate(0, 0, 1)
	var out []Digest
	for _, to := range offices {
		all, err := ForOffice(ctx, q, to, time.Time{})
		if err != nil {
			return nil, err
		}
		d := Digest{To: to, Day: day}
		for _, n := range all {
			if n.Created.Before(end) && (!n.Created.Before(day) || !n.Read) {
				d.Notices = append(d.Notices, n)
			}
		}
		if len(d.Notices) > 0 {
			out = append(out, d)
		}
	}
	return out, nil
}

// FileName is the digest's file name: 通知-2023-04-30-郭道镇.txt.
func (d Digest) FileName() string {
	return fmt.Sprintf("通知-%s-%s.txt", d.Day.Format(time.DateOnly), strings.NewReplacer("/", "_", `\`, "_").Replace(d.To.Name()))
}

// Text is the digest as a text file for offices without the portal open: UTF-8 with a byte-order
// mark and CRLF line ends, so the editors of the county's office computers show it as is.
func (d Digest) Text(county string) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\r\n", args...) }
	line("%s 打击非法违法采矿专项行动 每日通知", county)
	line("单位：%s　日期：%s　共 %d 条", d.To.Name(), d.Day.Format(time.DateOnly), len(d.Notices))
	line("")
	for i, n := range d.Notices {
		state := "未读"
		if n.Read {
			state = "已读"
		}
		line("%d. 【%s】%s", i+1, KindNames[n.Kind], n.Body)
		line("   %s · %s · 门户页面 %s", n.Created.Format("2006-01-02 15:04"), state, n.Link)
	}
	line("")
	line("请登录专项行动门户办理；本文件由 landwatch notify 生成。")
	return b.Bytes()
}

// WriteDigests writes every digest of day into dir (created 0700 if need be; files 0600: they
// name items and townships) and returns the paths written.
func WriteDigests(ctx context.Context, q Queryer, county, dir string, day time.Time) ([]string, error) {
	ds, err := Digests(ctx, q, day)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("digest folder %s: %w", dir, err)
	}
	var paths []string
	for _, d := range ds {
		p := filepath.Join(dir, d.FileName())
		if err := os.WriteFile(p, d.Text(county), 0o600); err != nil {
			return paths, fmt.Errorf("write %s: %w", p, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}
