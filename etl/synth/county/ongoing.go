package county

import (
	"landwatch/etl/synth/kit"
)

// What is planned here is written and described in etl/synth/ongoing.go.

// OngoingStream is the random stream of the work after the scenario.
const OngoingStream = 23001

// PeriodSpan is a configured 常态化 period's first and last day.
type PeriodSpan struct {
	Name       string
	Start, End kit.Date
}
