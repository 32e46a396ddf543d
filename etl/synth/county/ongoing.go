package county

import (
	"landwatch/etl/synth/kit"
)

// The county's work goes on after the scenario's last week, through the rest of the look-back and
// every configured 常态化 period, so that a run as of any of those days sees townships that patrol
// and meters that report:
//
//	patrol/巡查记录-{year}年{MM}月.xlsx        every township's patrols of the weeks of the look-back after
//	                                        the data's last day that end in a month, received on the 5th
//	                                        of the next month
//	                                        (the last, December's, on the look-back's last day)
//	patrol/巡查记录-{year}第NN周.xlsx          every township's patrols of a week of a period, received
//	                                        that Sunday (the period's last week on its last day)
//	patrol/{乡镇}-巡查记录-{year}第NN周（补报）.xlsx  the period's last week of the townships that send it
//	                                        late, three days after the period's end
//	power/用电数据-{year}第NN周.csv           every meter's ordinary load, hour by hour, for a week of a
//	                                        period, received that Sunday (the last week on its last day)
//
// Every township patrols once or twice a week, but for a planted few: one township in five
// (the third, eighth …) skips a week in the middle of the look-back, one in four (the second,
// sixth …) the fifth week of each period, and one in six (the fourth, tenth …) sends the period's
// last week late. The meters keep their ordinary loads (no alert); between the scenario's last
// reading and a period's first the power company sends nothing (a real gap of every meter, which
// mart_power_gaps does not count: the horizon is the latest day any meter has readings for).
// truth.json "periods" states, as of the end of each period, every township's patrol weeks and the
// meters silent for longer than power.silent_days.
//
// All of it comes from a random stream of its own, after the campaign's scenario, so every figure
// of the campaign stays as it was.

// OngoingStream is the random stream of the work after the scenario.
const OngoingStream = 23001

// PeriodSpan is a configured 常态化 period's first and last day.
type PeriodSpan struct {
	Name       string
	Start, End kit.Date
}
