// Go comparison for bench/template.ts: renders the same templates with Go text/template +
// sprig (+ Helm's include/toYaml/nindent idioms) and prints renders/s per case as JSON.
// Build-free: `GO111MODULE=off GOPATH=/usr/share/gocode go run main.go < cases.json`
// (Debian packages golang-1.23-go and golang-github-masterminds-sprig-dev). Test-only tooling.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"text/template"
	"time"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v2"
)

type benchCase struct {
	Name     string          `json:"name"`
	Helm     bool            `json:"helm"`
	Template string          `json:"template"`
	Data     json.RawMessage `json:"data"`
}

type input struct {
	Cases []benchCase `json:"cases"`
	MinMs int         `json:"minMs"`
}

// int64Numbers converts json.Number values as Kubernetes unstructured decoding does.
func int64Numbers(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		for k, e := range x {
			x[k] = int64Numbers(e)
		}
	case []interface{}:
		for i, e := range x {
			x[i] = int64Numbers(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

func toYaml(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

// cpuTime is the CPU time (user + system, all threads: GC workers included) of this process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := map[string]float64{}
	for _, c := range in.Cases {
		var data interface{}
		if c.Helm {
			_ = json.Unmarshal(c.Data, &data)
		} else {
			d := json.NewDecoder(bytes.NewReader(c.Data))
			d.UseNumber()
			_ = d.Decode(&data)
			data = int64Numbers(data)
		}
		t := template.New(c.Name)
		funcs := sprig.TxtFuncMap()
		funcs["toYaml"] = toYaml
		funcs["include"] = func(name string, data interface{}) (string, error) {
			var buf strings.Builder
			err := t.ExecuteTemplate(&buf, name, data)
			return buf.String(), err
		}
		option := "missingkey=error"
		if c.Helm {
			option = "missingkey=zero"
		}
		t = template.Must(t.Funcs(funcs).Option(option).Parse(c.Template))
		render := func() {
			var buf bytes.Buffer
			if err := t.Execute(&buf, data); err != nil {
				fmt.Fprintln(os.Stderr, c.Name, err)
				os.Exit(1)
			}
			if c.Helm {
				_ = strings.ReplaceAll(buf.String(), "<no value>", "")
			}
		}
		for i := 0; i < 50; i++ {
			render()
		}
		// Best of 5 rounds, as bench/template.ts measures.
		best := 0.0
		bestCPU := 0.0
		for round := 0; round < 5; round++ {
			n := 0
			start := time.Now()
			cpu0 := cpuTime()
			for time.Since(start) < time.Duration(in.MinMs/5)*time.Millisecond {
				for i := 0; i < 10; i++ {
					render()
				}
				n += 10
			}
			if r := float64(n) / time.Since(start).Seconds(); r > best {
				best = r
			}
			if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 && float64(n)/cpu > bestCPU {
				bestCPU = float64(n) / cpu
			}
		}
		out[c.Name] = best
		out[c.Name+"#cpu"] = bestCPU
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}
