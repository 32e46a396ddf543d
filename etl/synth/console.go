package synth

import (
	"errors"
	"path/filepath"
	"slices"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// What the units enter on the console rather than in files (ConsolePath): a cut-off of a meter
// whose alert was checked 非法采矿 (the office's order on the check day, the power company's
// confirmation two days later) while the meter keeps drawing power, so supply_after_cutoff fires
// from the first day after the confirmation with consumption; and a clue 应急 raises at the site of
// the first illegal patch the day after it was imaged, verified 属实 a day later, so it merges into
// that patch's violation. They are no load kind: a person enters them on the portal (or with
// `landwatch power cutoff`), and queries' TestConsoleEntriesTiny inserts them as the console's stores
// do. The files, and so every other figure of truth.json, do not depend on them.

// ConsolePath is the console entries' file in the output directory (Manifest.Console).
const ConsolePath = "console.json"

// Console lists the console entries of the synthetic county; stamps are county local time.
type Console struct {
	Cutoffs      []ConsoleCutoff  `json:"cutoffs"`
	DeptClues    []ConsoleClue    `json:"dept_clues"`
	ClueVerdicts []ConsoleVerdict `json:"clue_verdicts"`
	// ClueChecks are checks of the clue channels 民爆流向 and 视频监控 (channels.go).
	ClueChecks []county.ConsoleClueCheck `json:"clue_checks"`
}

// ConsoleCutoff is a 终止供电 order (kind ordered) or confirmation (done).
type ConsoleCutoff struct {
	Meter      string `json:"meter"`
	Kind       string `json:"kind"`
	On         string `json:"on"`
	RecordedAt string `json:"recorded_at"` // YYYY-MM-DD HH:MM
	By         string `json:"by"`
}

// ConsoleClue is a clue a unit raises (部门移送).
type ConsoleClue struct {
	ClueID      string  `json:"clue_id"`
	Unit        string  `json:"unit"`
	Township    string  `json:"township"`
	Village     string  `json:"village"`
	Lon         float64 `json:"lon"`
	Lat         float64 `json:"lat"`
	Category    string  `json:"category"`
	FoundOn     string  `json:"found_on"`
	Description string  `json:"description"`
	RaisedAt    string  `json:"raised_at"`
}

// ConsoleVerdict is a verdict recorded for a clue by the unit it was assigned to.
type ConsoleVerdict struct {
	ClueID    string `json:"clue_id"`
	Verdict   string `json:"verdict"`
	Note      string `json:"note"`
	By        string `json:"by"`
	UpdatedAt string `json:"updated_at"`
}

// ConsoleTruth is what the console entries must show as of data_to.
type ConsoleTruth struct {
	CutoffAlert   string `json:"cutoff_alert"`     // {meter}-CUT-{first day}
	CutoffFirst   string `json:"cutoff_first_day"` // the first day after the confirmed day with consumption
	ClueID        string `json:"clue_id"`
	ClueViolation string `json:"clue_violation"` // the violation the clue merges into
	// LateOrders are the meters whose 终止供电 order came after its deadline, OpenConfirmations
	// those ordered whose cut-off the power company has not confirmed (cutoffs.go).
	LateOrders        []string `json:"late_orders"`
	OpenConfirmations []string `json:"open_confirmations"`
	// PeriodCutoffs are the meters whose cut-off the power company confirms in the first 常态化
	// period, silent from the next day on; PeriodOpenConfirmations the confirmations still owed as
	// of its end (periodcutoff.go).
	PeriodCutoffs           []string `json:"period_cutoffs"`
	PeriodOpenConfirmations []string `json:"period_open_confirmations"`
	// Channels: the violations the checked flow and camera event join (channels.go).
	Channels *ChannelConsoleTruth `json:"channels"`
}

// console plans the entries from the truth: its alerts as of the end of the data, its violations.
func (w *world) console(tr *Truth) (*Console, *ConsoleTruth, error) {
	alerts := tr.PowerAlerts
	con, ct := &Console{Cutoffs: []ConsoleCutoff{}, DeptClues: []ConsoleClue{}, ClueVerdicts: []ConsoleVerdict{}}, &ConsoleTruth{LateOrders: []string{}, OpenConfirmations: []string{}}
	end := w.Scale.ReadTo
	for _, a := range alerts {
		if a.CheckResult != "非法采矿" || a.CheckedOn == "" {
			continue
		}
		i := slices.IndexFunc(w.Meters, func(m *power.Meter) bool { return m.ID == a.MeterID })
		if i < 0 || w.Meters[i].Kind == "关闭矿井" { // a closed mine draws nothing once its theft stops
			continue
		}
		m := w.Meters[i]
		checked := county.ParseDay(a.CheckedOn)
		done := checked + 2
		first := kit.Date(0)
		for d := done + 1; d <= end && first == 0; d++ {
			var wh int64
			for h := range 24 {
				wh += w.Power.Wh(m, d, h)
			}
			if wh > 0 {
				first = d
			}
		}
		if first == 0 {
			continue
		}
		con.Cutoffs = append(con.Cutoffs,
			ConsoleCutoff{Meter: m.ID, Kind: "ordered", On: checked.String(), RecordedAt: checked.String() + " 16:00", By: "办公室"},
			ConsoleCutoff{Meter: m.ID, Kind: "done", On: done.String(), RecordedAt: done.String() + " 17:00", By: "供电公司"})
		ct.CutoffAlert, ct.CutoffFirst = power.AlertID(m.ID, "supply_after_cutoff", first), first.String()
		break
	}
	if ct.CutoffAlert == "" {
		return nil, nil, errors.New("没有核查为非法采矿且仍在用电的户号：无可终止供电的对象")
	}
	con.Cutoffs = append(con.Cutoffs, w.moreCutoffs(alerts, con.Cutoffs[0].Meter, ct)...)
	for _, p := range w.Patches {
		if p.Verdict != "违法" {
			continue
		}
		// the violation the patch is a member of as of details_as_of
		vid := ""
		for _, tt := range tr.Townships {
			for _, v := range tt.Violations {
				if slices.Contains(v.SourceRefs, p.ID) && v.RecurrenceOf == nil {
					vid = v.ViolationID
				}
			}
		}
		if vid == "" {
			continue
		}
		id := "BM-0001"
		con.DeptClues = append(con.DeptClues, ConsoleClue{ClueID: id, Unit: "应急", Township: p.Town.Name, Village: p.Village,
			Lon: p.Pt.Lon, Lat: p.Pt.Lat, Category: p.Cat, FoundOn: (p.Imaged + 1).String(),
			Description: "巡查发现山体新开挖，有运输车辆出入", RaisedAt: (p.Imaged + 1).String() + " 15:00"})
		con.ClueVerdicts = append(con.ClueVerdicts, ConsoleVerdict{ClueID: id, Verdict: "属实", Note: "现场核实与卫片图斑同一处",
			By: "应急", UpdatedAt: (p.Imaged + 2).String() + " 11:00"})
		ct.ClueID, ct.ClueViolation = id, vid
		break
	}
	if ct.ClueID == "" {
		return nil, nil, errors.New("没有可作为部门线索的违法图斑")
	}
	return con, ct, nil
}

// writeConsole writes console.json.
func writeConsole(out string, con *Console) error {
	return writeJSON(filepath.Join(out, ConsolePath), con)
}
