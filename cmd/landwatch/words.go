package main

import (
	"fmt"
	"time"
)

// seconds writes how long something took as people read it: 0.4 秒, 12.3 秒 (a Duration prints
// 441ms or 1m2.3s).
func seconds(d time.Duration) string { return fmt.Sprintf("%.1f 秒", d.Seconds()) }
