package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestDemoBeside checks which of the demo's steps run beside others: last week's briefing from its
// own place until the look-back's models run is done, the accounts beside the last models run only
// when nothing after it but queries and briefings runs.
func TestDemoBeside(t *testing.T) {
	cmd := func(argv ...string) demoStep { return demoStep{title: strings.Join(argv, " "), argv: argv, needs: -1} }
	accounts := demoStep{title: "accounts", needs: -1}
	steps := []demoStep{
		cmd("models", "run", "--as-of", "2023-04-30"),
		cmd("report", "weekly", "--as-of", "2023-04-30"),
		cmd("report", "weekly", "--as-of", "2023-04-23"),
		cmd("report", "duties"),
		cmd("models", "run", "--as-of", "2023-05-07"),
		cmd("accountability", "list"),
		cmd("notify", "--day", "2023-05-07"),
		cmd("models", "run", "--as-of", "2024-03-31"),
		cmd("sql", "SELECT 1"),
		cmd("report", "weekly", "--as-of", "2024-03-31"),
		accounts,
	}
	demoBeside(steps, "2023-04-23")
	var got []string
	for i, s := range steps {
		if s.beside {
			got = append(got, fmt.Sprintf("%d:%d-%d", i, s.from, s.until))
		}
	}
	if want := "2:2-5 10:7-11"; strings.Join(got, " ") != want {
		t.Errorf("beside: %v, want %s", got, want)
	}
	// a notice after the last models run: the accounts run alone, in their place
	steps = append(steps[:9:9], cmd("notify", "--day", "2024-03-31"), accounts)
	demoBeside(steps, "2023-04-23")
	if s := steps[10]; s.beside && s.from != 10 {
		t.Errorf("accounts start at step %d beside a notice run", s.from)
	}
}

// TestDemoRunOrder runs a step beside others that ends only after a later step has run: the log
// still holds every step's output in step order, and an error of the step beside is reported as
// its own.
func TestDemoRunOrder(t *testing.T) {
	for _, fail := range []bool{false, true} {
		var log bytes.Buffer
		a := &app{stdout: &log, stderr: &log}
		later := make(chan struct{})
		say := func(s string) func(context.Context, *app) error {
			return func(_ context.Context, a *app) error { fmt.Fprintln(a.stdout, s); return nil }
		}
		steps := []demoStep{
			{title: "一", needs: -1, fn: say("一的输出")},
			{title: "二", needs: -1, beside: true, from: 1, until: 3, fn: func(_ context.Context, a *app) error {
				<-later // not before step 3 ran
				fmt.Fprintln(a.stdout, "二的输出")
				if fail {
					return errors.New("二出错")
				}
				return nil
			}},
			{title: "三", needs: -1, fn: func(_ context.Context, a *app) error {
				fmt.Fprintln(a.stdout, "三的输出")
				close(later)
				return nil
			}},
			{title: "四", needs: -1, fn: say("四的输出")},
		}
		r := &demoRun{a: a, dir: t.TempDir(), steps: steps, progress: newDemoProgress(&bytes.Buffer{})}
		err := r.run(context.Background())
		out := log.String()
		if fail {
			if err == nil || !strings.Contains(err.Error(), "第 2 步（二）") || strings.Contains(out, "四的输出") {
				t.Errorf("failing step beside: %v\n%s", err, out)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		last := -1
		for _, s := range []string{"[1/4] 一", "一的输出", "[2/4] 二", "二的输出", "与其他步骤同时运行", "[3/4] 三", "三的输出", "[4/4] 四", "四的输出"} {
			i := strings.Index(out, s)
			if i <= last {
				t.Fatalf("%q out of order in the log:\n%s", s, out)
			}
			last = i
		}
	}
}
