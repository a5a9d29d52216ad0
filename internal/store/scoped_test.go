package store_test

import (
	"testing"

	"github.com/cairnhq/cairn/internal/store"
)

type notTx interface{ NoSuchMethod() }

func TestScopeRefusesWhatTxLacks(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Scope accepted an interface store.Tx does not implement")
		}
	}()
	store.Scope[store.AccountTx, notTx](nil)
}

func TestScopeAcceptsTxInterfaces(t *testing.T) {
	store.Scope[store.AccountTx, store.SageMakerTx](nil)
}
