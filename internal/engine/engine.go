// Package engine runs pipeline executions. An execution is a durable state machine in the
// store; the engine re-evaluates it whenever a committed change touches it (the execution
// itself, or a job one of its steps launched), never on a timer. Each evaluation starts the
// steps that became ready, records the outcome of those that ended, and finishes the
// execution when nothing is left to run. Steps act as the pipeline's execution role: the
// engine assumes it as sagemaker.amazonaws.com and calls SageMaker's operations through the
// same authorization a client's request gets.
package engine

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
	"github.com/cairnhq/cairn/internal/store"
)

// Roles turns a role ARN into the principal of a session of that role, assumed by the
// SageMaker service principal. An error is the denial to report.
type Roles interface {
	AssumeRole(ctx context.Context, roleARN, sessionName string) (*auth.Principal, error)
}

// Objects reads S3 objects as the principal in the context.
type Objects interface {
	GetObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, error)
}

// Options configures an Engine.
type Options struct {
	Store      store.Store
	SageMaker  *operation.Service
	Authorizer operation.Authorizer
	Roles      Roles
	Objects    Objects
	Now        func() time.Time
	Random     io.Reader
	Logger     *slog.Logger
	// Workers is how many executions are evaluated at once (default 4).
	Workers int
}

// Engine schedules the steps of pipeline executions.
type Engine struct {
	opts  Options
	log   *slog.Logger
	store store.Scoped[State, Planner]

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []string
	queued  map[string]bool
	running map[string]bool
	dirty   map[string]bool
	closed  bool
	wg      sync.WaitGroup

	unsubscribe func()
	defs        *definitionCache
}

// New returns an engine; Start begins its work.
func New(o Options) *Engine {
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	e := &Engine{opts: o, log: o.Logger, store: store.Scope[State, Planner](o.Store), queued: map[string]bool{}, running: map[string]bool{}, dirty: map[string]bool{},
		defs: newDefinitionCache()}
	e.cond = sync.NewCond(&e.mu)
	return e
}

// Start subscribes to store changes and resumes every execution that was running when the
// server last stopped.
func (e *Engine) Start(ctx context.Context) error {
	e.unsubscribe = e.store.Subscribe(e.onChanges)
	for i := 0; i < e.opts.Workers; i++ {
		e.wg.Add(1)
		go e.work()
	}
	var active []*store.PipelineExecution
	err := e.store.View(ctx, func(tx State) error {
		var err error
		active, err = tx.ListPipelineExecutions("", string(sm.ExecutionExecuting), string(sm.ExecutionStopping))
		return err
	})
	if err != nil {
		return err
	}
	for _, ex := range active {
		e.enqueue(ex.ARN)
	}
	return nil
}

// Close stops the workers after the evaluations in progress.
func (e *Engine) Close() {
	if e.unsubscribe != nil {
		e.unsubscribe()
	}
	e.mu.Lock()
	e.closed = true
	e.cond.Broadcast()
	e.mu.Unlock()
	e.wg.Wait()
}

// onChanges runs in the committing goroutine: it only queues work.
func (e *Engine) onChanges(changes []store.Change) {
	for _, c := range changes {
		switch c.Kind {
		case store.ChangePipelineExecution:
			e.enqueue(c.Key)
		case store.ChangeJob:
			e.enqueue(jobPrefix + c.Key)
		}
	}
}

// jobPrefix marks a queued job ARN, resolved to its execution by a worker.
const jobPrefix = "job:"

func (e *Engine) enqueue(key string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	if e.running[key] {
		e.dirty[key] = true
		return
	}
	if e.queued[key] {
		return
	}
	e.queued[key] = true
	e.queue = append(e.queue, key)
	e.cond.Signal()
}

func (e *Engine) work() {
	defer e.wg.Done()
	for {
		e.mu.Lock()
		for len(e.queue) == 0 && !e.closed {
			e.cond.Wait()
		}
		if e.closed {
			e.mu.Unlock()
			return
		}
		key := e.queue[0]
		e.queue = e.queue[1:]
		delete(e.queued, key)
		e.running[key] = true
		e.mu.Unlock()

		e.handle(key)

		e.mu.Lock()
		delete(e.running, key)
		again := e.dirty[key]
		delete(e.dirty, key)
		e.mu.Unlock()
		if again {
			e.enqueue(key)
		}
	}
}

// handle evaluates the execution a queued key names.
func (e *Engine) handle(key string) {
	ctx := context.Background()
	if jobARN, ok := strings.CutPrefix(key, jobPrefix); ok {
		execution, err := e.executionOfJob(ctx, jobARN)
		if err != nil || execution == "" {
			return
		}
		key = execution
		e.mu.Lock()
		busy := e.running[key]
		if busy {
			e.dirty[key] = true
		} else {
			e.running[key] = true
		}
		e.mu.Unlock()
		if busy {
			return
		}
		defer func() {
			e.mu.Lock()
			delete(e.running, key)
			again := e.dirty[key]
			delete(e.dirty, key)
			e.mu.Unlock()
			if again {
				e.enqueue(key)
			}
		}()
	}
	if err := e.evaluate(ctx, key); err != nil {
		e.log.Error("evaluate pipeline execution", "execution", key, "err", err)
	}
}

// executionOfJob returns the execution whose step launched a job ("" for a job created
// directly). A step records its job's ARN before it creates the job, so the answer is
// there whenever the job is.
func (e *Engine) executionOfJob(ctx context.Context, jobARN string) (string, error) {
	var execution string
	err := e.store.View(ctx, func(tx State) error {
		step, err := tx.ExecutionStepByJob(jobARN)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err == nil {
			execution = step.ExecutionARN
		}
		return err
	})
	return execution, err
}
