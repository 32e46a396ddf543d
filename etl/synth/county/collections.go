package county

import (
	"landwatch/etl/synth/kit"
)

// What is planned here is written and described in etl/synth/collections.go.

type Collection struct {
	C       *CaseRec
	Doc     string
	Kind    string
	On      kit.Date
	Amount  int64
	Receipt string
}
