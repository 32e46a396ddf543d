package casestore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/store/accounts"
	"landwatch/warehouse"
)

// Clue verdicts a department may record (the same as the clues file's 核查结果).
var ClueVerdicts = []string{"核查中", "属实", "不属实"}

// CaseRow is a case as it stands now: the loaded file's latest row with every update applied
// (the latest non-empty value per field), and its current department.
type CaseRow struct {
	ID, Source, SourceRef, Township, Village, Category, FoundOn                     string
	FiledOn, PriceRequestedOn, PriceDoneOn, ToPoliceOn, ToProcuratorateOn, JudgedOn string
	Fine, Confiscated, Status, Department, AssignedAt                               string
}

// ClueRow is a clue as it stands now (the latest verdict) and its current department.
type ClueRow struct {
	ID, Source, Township, Village, Category, FoundOn, Verdict, Department, AssignedAt string
}

// ListCap bounds a list page; the filters narrow it.
const ListCap = 1000

// Filter narrows the lists: township, department ("-" = not assigned), text in the id.
type Filter struct{ Township, Department, Q string }

// The lists show cases and clues as they stand now, not as of the last models run: the office
// assigns and the departments record progress today. Which version of a record is current, and how
// the updates recorded in the portal override it, the views int_cases_now and int_clues_now decide
// (queries/intermediate); here only the assignments are joined.

const casesNow = `WITH a AS (
	SELECT ref_id, list(DISTINCT department ORDER BY department) AS departments,
		array_to_string(list(DISTINCT department ORDER BY department), '、') AS department, max(assigned_at) AS assigned_at
	FROM assignments WHERE ref_kind = 'case' GROUP BY ref_id
)
SELECT f.case_id, f.source, coalesce(f.source_ref, ''), f.township, coalesce(f.village, ''), coalesce(f.category, ''),
	strftime(f.found_on, '%Y-%m-%d'), coalesce(strftime(f.filed_on, '%Y-%m-%d'), ''), coalesce(strftime(f.price_requested_on, '%Y-%m-%d'), ''),
	coalesce(strftime(f.price_done_on, '%Y-%m-%d'), ''), coalesce(strftime(f.to_police_on, '%Y-%m-%d'), ''),
	coalesce(strftime(f.to_procuratorate_on, '%Y-%m-%d'), ''), coalesce(strftime(f.judged_on, '%Y-%m-%d'), ''),
	coalesce(CAST(f.fine_yuan AS VARCHAR), ''), coalesce(CAST(f.confiscated_yuan AS VARCHAR), ''),
	coalesce(f.status, ''), coalesce(a.department, ''), coalesce(strftime(a.assigned_at, '%Y-%m-%d %H:%M'), '')
FROM int_cases_now f LEFT JOIN a ON a.ref_id = f.case_id WHERE true`

const cluesNow = `WITH a AS (
	SELECT ref_id, arg_max(department, assigned_at) AS department, max(assigned_at) AS assigned_at
	FROM assignments WHERE ref_kind = 'clue' GROUP BY ref_id
)
SELECT f.clue_id, f.source, f.township, coalesce(f.village, ''), coalesce(f.category, ''), strftime(f.found_on, '%Y-%m-%d'),
	f.verdict, coalesce(a.department, ''), coalesce(strftime(a.assigned_at, '%Y-%m-%d %H:%M'), '')
FROM int_clues_now f LEFT JOIN a ON a.ref_id = f.clue_id WHERE true`

// filterSQL adds the filter and, for a department, its own scope only. A case may be held by
// several units at once (every unit the office assigned it to, and every unit owning a stage entered
// for it: caseUnitsSQL); a clue by its latest assignee.
func filterSQL(u *accounts.User, f Filter, idCol string) (string, []any) {
	var q string
	var args []any
	multi := idCol == "f.case_id"
	if u.Role == accounts.RoleDepartment {
		if multi {
			q += ` AND ` + caseUnitsSQL
			args = append(args, u.Scope, u.Scope)
		} else {
			q += ` AND a.department = ?`
			args = append(args, u.Scope)
		}
	}
	if f.Township != "" {
		q += ` AND f.township = ?`
		args = append(args, f.Township)
	}
	switch f.Department {
	case "":
	case "-":
		q += ` AND a.department IS NULL`
	default:
		if multi {
			q += ` AND list_contains(a.departments, ?)`
		} else {
			q += ` AND a.department = ?`
		}
		args = append(args, f.Department)
	}
	if f.Q != "" {
		q += ` AND contains(lower(` + idCol + `), lower(?))`
		args = append(args, f.Q)
	}
	return q, args
}

// listQuery is the list query over a model (base): its filter, the one id when given, the
// order; ErrNotBuilt when the model does not exist yet.
func (s *Store) listQuery(ctx context.Context, model, base, idCol string, u *accounts.User, f Filter, id string) (string, []any, error) {
	models := []string{model}
	if model == "int_cases_now" { // the stage entries decide who holds a case
		models = append(models, "stg_enforcement__case_stages")
	}
	if ok, err := s.built(ctx, models...); err != nil || !ok {
		return "", nil, cmp.Or(err, ErrNotBuilt)
	}
	where, args := filterSQL(u, f, idCol)
	if id != "" {
		where += ` AND ` + idCol + ` = ?`
		args = append(args, id)
	}
	return base + where + ` ORDER BY f.found_on DESC, ` + idCol + ` LIMIT ` + fmt.Sprint(ListCap), args, nil
}

// ListCases lists the cases u may see (a department: those assigned to it), narrowed by f, or the
// one case id when given. ErrNotBuilt when the models have never been built.
func (s *Store) ListCases(ctx context.Context, u *accounts.User, f Filter, id string) ([]CaseRow, error) {
	return list(ctx, s, "int_cases_now", casesNow, "f.case_id", u, f, id, func(r *CaseRow) []any {
		return []any{&r.ID, &r.Source, &r.SourceRef, &r.Township, &r.Village, &r.Category, &r.FoundOn, &r.FiledOn, &r.PriceRequestedOn,
			&r.PriceDoneOn, &r.ToPoliceOn, &r.ToProcuratorateOn, &r.JudgedOn, &r.Fine, &r.Confiscated, &r.Status, &r.Department, &r.AssignedAt}
	})
}

// ListClues is ListCases for the clues.
func (s *Store) ListClues(ctx context.Context, u *accounts.User, f Filter, id string) ([]ClueRow, error) {
	return list(ctx, s, "int_clues_now", cluesNow, "f.clue_id", u, f, id, func(r *ClueRow) []any {
		return []any{&r.ID, &r.Source, &r.Township, &r.Village, &r.Category, &r.FoundOn, &r.Verdict, &r.Department, &r.AssignedAt}
	})
}

// list reads the rows of a list query, each scanned into the fields dest names.
func list[T any](ctx context.Context, s *Store, model, base, idCol string, u *accounts.User, f Filter, id string, dest func(*T) []any) ([]T, error) {
	q, args, err := s.listQuery(ctx, model, base, idCol, u, f, id)
	if err != nil {
		return nil, err
	}
	var out []T
	err = warehouse.EachRow(ctx, s.db, q, args, func(rows *sql.Rows) error {
		var r T
		if err := rows.Scan(dest(&r)...); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// UpdateRow is one recorded update or assignment of a case or clue, for its history.
type UpdateRow struct{ At, By, What, Note string }

func (s *Store) History(ctx context.Context, kind, id string) ([]UpdateRow, error) {
	q := `SELECT assigned_at, assigned_by, '交办给 ' || department, coalesce(note, '') FROM assignments WHERE ref_kind = ? AND ref_id = ?`
	args := []any{kind, id}
	if kind == "case" {
		q += ` UNION ALL SELECT updated_at, updated_by, concat_ws('；',
			'立案 ' || strftime(filed_on, '%Y-%m-%d'), '价格认定申请 ' || strftime(price_requested_on, '%Y-%m-%d'),
			'价格认定完成 ' || strftime(price_done_on, '%Y-%m-%d'), '移送公安 ' || strftime(to_police_on, '%Y-%m-%d'),
			'移送检察院 ' || strftime(to_procuratorate_on, '%Y-%m-%d'), '判决 ' || strftime(judged_on, '%Y-%m-%d'),
			'罚款 ' || CAST(fine_yuan AS VARCHAR) || ' 元', '没收 ' || CAST(confiscated_yuan AS VARCHAR) || ' 元', '状态 ' || status),
			coalesce(note, '') FROM case_updates WHERE case_id = ?`
	} else {
		q += ` UNION ALL SELECT updated_at, updated_by, '核查结果 ' || verdict, coalesce(note, '') FROM clue_updates WHERE clue_id = ?`
	}
	args = append(args, id)
	var out []UpdateRow
	err := warehouse.EachRow(ctx, s.db, q+` ORDER BY 1`, args, func(rows *sql.Rows) error {
		var r UpdateRow
		var at time.Time
		if err := rows.Scan(&at, &r.By, &r.What, &r.Note); err != nil {
			return err
		}
		r.At = at.Format("2006-01-02 15:04")
		out = append(out, r)
		return nil
	})
	return out, err
}

// Case is the case when u may see it (office: any; department: assigned to its scope), else nil.
func (s *Store) Case(ctx context.Context, u *accounts.User, id string) (*CaseRow, error) {
	list, err := s.ListCases(ctx, u, Filter{}, id)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

func (s *Store) Clue(ctx context.Context, u *accounts.User, id string) (*ClueRow, error) {
	list, err := s.ListClues(ctx, u, Filter{}, id)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// Assign hands a case ("case") or a clue ("clue") to a member unit; audited.
func (s *Store) Assign(ctx context.Context, u *accounts.User, kind, id, dept, note string) error {
	dept, note = strings.TrimSpace(dept), strings.TrimSpace(note)
	if u, ok := s.cfg.Unit(dept); !ok {
		return fmt.Errorf("“%s”不是成员单位：可选 %s", dept, strings.Join(s.cfg.UnitScopes(), "、"))
	} else {
		dept = u.ShortName
	}
	if len(note) > 2000 {
		return errors.New("说明过长，最多 2000 字")
	}
	var found bool
	var err error
	switch kind {
	case "case":
		var r *CaseRow
		r, err = s.Case(ctx, u, id)
		found = r != nil
	case "clue":
		var r *ClueRow
		r, err = s.Clue(ctx, u, id)
		found = r != nil
	default:
		return fmt.Errorf("unknown kind %q", kind)
	}
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s %s 不在任何已导入的文件中（%w）", map[string]string{"case": "案件", "clue": "线索"}[kind], id, ErrNoRef)
	}
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO assignments VALUES (?, ?, ?, ?, ?, ?)`, kind, id, dept, u.Name,
			warehouse.LocalTimestamp(s.cfg.Location(), au.Now()), nullStr(note)); err != nil {
			return fmt.Errorf("assign %s %s: %w", kind, id, err)
		}
		return au.Add(ctx, u.Name, kind+".assign", id, map[string]any{"department": dept, "note": note})
	})
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CaseProgress is a department's progress form: empty fields leave the current value.
type CaseProgress struct {
	FiledOn, PriceRequestedOn, PriceDoneOn, ToPoliceOn, ToProcuratorateOn, JudgedOn string
	Fine, Confiscated, Status, Note                                                 string
}

var amountRe = regexp.MustCompile(`^[0-9]{1,12}(\.[0-9]{1,2})?$`)

// caseDates are the progress dates in funnel order with their names.
type caseDate struct {
	name string
	in   *string
	cur  string
}

// ErrProgress marks a refused progress update (bad input).
var ErrProgress = errors.New("进度未保存")

// ErrNoRef: the case or clue is not loaded, or not assigned to the department asking (answered 404).
var ErrNoRef = errors.New("找不到或无权查看")

// RecordCaseProgress validates and appends a case update by the case's department; audited. Dates
// are YYYY-MM-DD, not before the case was found, not after today, and — together with the values
// already recorded — in the order 立案 ≤ 移送公安 ≤ 移送检察院 ≤ 判决 and 价格认定申请 ≤ 完成;
// amounts are ≥ 0 with at most 2 decimals.
func (s *Store) RecordCaseProgress(ctx context.Context, u *accounts.User, id string, in CaseProgress) error {
	r, err := s.Case(ctx, u, id)
	if err != nil {
		return err
	}
	if r == nil {
		return fmt.Errorf("案件 %s 未交办给%s（%w）", id, u.Scope, ErrNoRef)
	}
	if probs := s.notOwned(u, in); len(probs) > 0 { // another unit's stage (progressowners.go)
		return fmt.Errorf("%w：%s", ErrProgress, strings.Join(probs, "；"))
	}
	fine, conf, probs := checkProgress(r, &in, warehouse.LocalDay(s.cfg.Location(), s.now()))
	if len(probs) > 0 {
		return fmt.Errorf("%w：%s", ErrProgress, strings.Join(probs, "；"))
	}
	return s.appendProgress(ctx, u, r, in, fine, conf)
}

// checkProgress checks a progress form against the case as it stands (trimming the form in place)
// and returns the amounts to store and every problem found.
func checkProgress(r *CaseRow, in *CaseProgress, today time.Time) (fine, conf any, probs []string) {
	given, probs := checkDates(r, in, today)
	amount := func(name string, v *string) any {
		*v = strings.TrimSpace(strings.ReplaceAll(*v, ",", ""))
		if *v == "" {
			return nil
		}
		given++
		if strings.HasPrefix(*v, "-") {
			probs = append(probs, fmt.Sprintf("%s不能为负数（%s）", name, *v))
			return nil
		}
		if !amountRe.MatchString(*v) {
			probs = append(probs, fmt.Sprintf("%s“%s”应为不小于 0 的金额（元，最多两位小数）", name, *v))
			return nil
		}
		return *v
	}
	fine, conf = amount("罚款", &in.Fine), amount("没收", &in.Confiscated)
	in.Status, in.Note = strings.TrimSpace(in.Status), strings.TrimSpace(in.Note)
	if in.Status != "" {
		given++
	}
	if len([]rune(in.Status)) > 64 {
		probs = append(probs, "状态最多 64 字")
	}
	if len([]rune(in.Note)) > 2000 {
		probs = append(probs, "说明最多 2000 字")
	}
	if given == 0 && len(probs) == 0 {
		probs = append(probs, "请至少填写一项进度（日期、金额或状态）")
	}
	return fine, conf, probs
}

// checkDates checks the form's dates: each YYYY-MM-DD, not before the case was found, not after
// today, and — together with the dates already recorded — in funnel order. given counts the dates
// the form gives.
func checkDates(r *CaseRow, in *CaseProgress, today time.Time) (given int, probs []string) {
	found, _ := time.Parse("2006-01-02", r.FoundOn)
	dates := []caseDate{{"立案日期", &in.FiledOn, r.FiledOn}, {"移送公安日期", &in.ToPoliceOn, r.ToPoliceOn},
		{"移送检察院日期", &in.ToProcuratorateOn, r.ToProcuratorateOn}, {"判决日期", &in.JudgedOn, r.JudgedOn},
		{"价格认定申请日期", &in.PriceRequestedOn, r.PriceRequestedOn}, {"价格认定完成日期", &in.PriceDoneOn, r.PriceDoneOn}}
	eff := make([]time.Time, len(dates)) // the value after this update; zero when none
	for i, d := range dates {
		*d.in = strings.TrimSpace(*d.in)
		v := d.cur
		if *d.in != "" {
			given++
			t, err := time.Parse("2006-01-02", *d.in)
			switch {
			case err != nil:
				probs = append(probs, fmt.Sprintf("%s“%s”格式应为 年-月-日", d.name, *d.in))
				continue
			case t.Before(found):
				probs = append(probs, fmt.Sprintf("%s %s 早于案件发现日期 %s", d.name, *d.in, r.FoundOn))
			case t.After(today):
				probs = append(probs, fmt.Sprintf("%s %s 晚于今天", d.name, *d.in))
			}
			v = *d.in
		}
		if v != "" {
			eff[i], _ = time.Parse("2006-01-02", v)
		}
	}
	order := func(seq []int) {
		for a := 0; a < len(seq); a++ {
			for b := a + 1; b < len(seq); b++ {
				x, y := seq[a], seq[b]
				if !eff[x].IsZero() && !eff[y].IsZero() && eff[y].Before(eff[x]) {
					probs = append(probs, fmt.Sprintf("%s %s 早于%s %s（顺序应为 立案 ≤ 移送公安 ≤ 移送检察院 ≤ 判决，价格认定申请 ≤ 完成）",
						dates[y].name, eff[y].Format("2006-01-02"), dates[x].name, eff[x].Format("2006-01-02")))
				}
			}
		}
	}
	order([]int{0, 1, 2, 3})
	order([]int{4, 5})
	return given, probs
}

// appendProgress stores a checked update and its audit entry.
func (s *Store) appendProgress(ctx context.Context, u *accounts.User, r *CaseRow, in CaseProgress, fine, conf any) error {
	date := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_updates (case_id, filed_on, price_requested_on, price_done_on, to_police_on,
			to_procuratorate_on, judged_on, fine_yuan, confiscated_yuan, status, note, updated_by, updated_at)
			VALUES (?, CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE),
			CAST(? AS DECIMAL(14,2)), CAST(? AS DECIMAL(14,2)), ?, ?, ?, ?)`,
			r.ID, date(in.FiledOn), date(in.PriceRequestedOn), date(in.PriceDoneOn), date(in.ToPoliceOn), date(in.ToProcuratorateOn),
			date(in.JudgedOn), fine, conf, nullStr(in.Status), nullStr(in.Note), u.Name, warehouse.LocalTimestamp(s.cfg.Location(), au.Now())); err != nil {
			return fmt.Errorf("case %s progress: %w", r.ID, err)
		}
		detail := map[string]any{"department": u.Scope, "note": in.Note}
		for k, v := range map[string]string{"filed_on": in.FiledOn, "price_requested_on": in.PriceRequestedOn, "price_done_on": in.PriceDoneOn,
			"to_police_on": in.ToPoliceOn, "to_procuratorate_on": in.ToProcuratorateOn, "judged_on": in.JudgedOn,
			"fine_yuan": in.Fine, "confiscated_yuan": in.Confiscated, "status": in.Status} {
			if v != "" {
				detail[k] = v
			}
		}
		return au.Add(ctx, u.Name, "case.progress", r.ID, detail)
	})
}

// RecordClueVerdict appends a clue's verdict by its department; audited. 属实 and 不属实 need a note.
func (s *Store) RecordClueVerdict(ctx context.Context, u *accounts.User, id, verdict, note string) error {
	r, err := s.Clue(ctx, u, id)
	if err != nil {
		return err
	}
	if r == nil {
		return fmt.Errorf("线索 %s 未交办给%s（%w）", id, u.Scope, ErrNoRef)
	}
	verdict, note = strings.TrimSpace(verdict), strings.TrimSpace(note)
	if !slices.Contains(ClueVerdicts, verdict) {
		return fmt.Errorf("%w：核查结果应为 属实、不属实 或 核查中，不是“%s”", ErrProgress, verdict)
	}
	if verdict != "核查中" && note == "" {
		return fmt.Errorf("%w：核查结论需要写明依据", ErrProgress)
	}
	if len([]rune(note)) > 2000 {
		return fmt.Errorf("%w：说明最多 2000 字", ErrProgress)
	}
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO clue_updates VALUES (?, ?, ?, ?, ?)`, r.ID, verdict, nullStr(note), u.Name,
			warehouse.LocalTimestamp(s.cfg.Location(), au.Now())); err != nil {
			return fmt.Errorf("clue %s verdict: %w", r.ID, err)
		}
		return au.Add(ctx, u.Name, "clue.verdict", r.ID, map[string]any{"department": u.Scope, "verdict": verdict, "note": note})
	})
}
