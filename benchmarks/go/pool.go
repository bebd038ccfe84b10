// Go's canonical worker pool in the shape of the Java FreshJvm harness, for comparison in the same run:
// buffered jobs and results channels, W goroutines, a WaitGroup and a closer goroutine; a producer goroutine
// sends jobs 1..J and closes the jobs channel; the main goroutine ranges over the results and sums them.
// One warm-up pass and one measured pass per process, pool start and shutdown inside the clock.
//
//	go run pool.go <workers> <buffer> <square|burn|nap|single-burn|single-nap> <jobs> [burn-iterations]
//
// Prints "WARM-UP <ns per job> <sum>" and "MEASURED <ns per job> <sum>", as FreshJvm's child JVM does.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

var burnIterations = 20000

func square(n int) int64 { return int64(n) * int64(n) }

// burn is the Java harness's xorshift chain: the same work per iteration.
func burn(n int) int64 {
	x := uint64(n) | 1
	for i := burnIterations; i > 0; i-- {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return int64(x)
}

func nap(n int) int64 {
	time.Sleep(5 * time.Millisecond)
	return int64(n)
}

func pool(work func(int) int64, workers, buffer, jobs int) int64 {
	jobsCh := make(chan int, buffer)
	results := make(chan int64, buffer)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobsCh {
				results <- work(j)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	go func() {
		for j := 1; j <= jobs; j++ {
			jobsCh <- j
		}
		close(jobsCh)
	}()
	var sum int64
	for r := range results {
		sum += r
	}
	return sum
}

func single(work func(int) int64, jobs int) int64 {
	var sum int64
	for j := 1; j <= jobs; j++ {
		sum += work(j)
	}
	return sum
}

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: pool <workers> <buffer> <square|burn|nap|single-burn|single-nap> <jobs> [burn-iterations]")
		os.Exit(2)
	}
	workers, _ := strconv.Atoi(os.Args[1])
	buffer, _ := strconv.Atoi(os.Args[2])
	workload := os.Args[3]
	jobs, _ := strconv.Atoi(os.Args[4])
	if len(os.Args) > 5 {
		burnIterations, _ = strconv.Atoi(os.Args[5])
	}
	works := map[string]func(int) int64{"square": square, "burn": burn, "nap": nap}
	for _, pass := range []string{"WARM-UP", "MEASURED"} {
		fmt.Printf("START %s %d\n", pass, os.Getpid())
		start := time.Now()
		var sum int64
		switch workload {
		case "single-burn":
			sum = single(burn, jobs)
		case "single-nap":
			sum = single(nap, jobs)
		default:
			sum = pool(works[workload], workers, buffer, jobs)
		}
		fmt.Printf("%s %.1f %d\n", pass, float64(time.Since(start).Nanoseconds())/float64(jobs), sum)
	}
}
