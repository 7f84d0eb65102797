"""Readers of public AML benchmark formats, on small fixtures written by the tests (real files only if present)."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.io.amlsim import read_amlsim
from puente.io.amlworld import read_amlworld
from puente.io.samld import read_samld

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"

AMLWORLD = """Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering
2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0
2022/09/01 00:20,03208,8000F4580,001,8000F5340,0.01,US Dollar,0.01,US Dollar,Cheque,0
2022/09/02 13:05,0112,80010AE30,0211,8001B1C60,11250.00,Euro,9800.00,Mexican Peso,ACH,1
"""


def test_amlworld_reader(tmp_path: Path) -> None:
    path = tmp_path / "HI-Small_Trans.csv"
    path.write_text(AMLWORLD, encoding="utf-8")
    data = read_amlworld(path)
    rows = data.transactions.to_pylist()
    assert [r["transaction_id"] for r in rows] == ["AW0000000001", "AW0000000002", "AW0000000003"]
    assert rows[2]["debtor_account"] == "0112:80010AE30" and rows[2]["creditor_account"] == "0211:8001B1C60"
    assert rows[2]["currency"] == "MXN" and rows[2]["channel"] == "ach" and str(rows[2]["amount"]) == "9800.00"
    assert rows[0]["channel"] == "book_transfer" and rows[1]["channel"] == "check"
    assert str(rows[2]["booked_at"]) == "2022-09-02 13:05:00"
    assert data.labels is not None and data.labels["label"].to_pylist() == [0, 0, 1]
    assert read_amlworld(path, max_rows=2).transactions.num_rows == 2


def test_amlsim_sample_layout_labels_transactions_by_both_accounts(tmp_path: Path) -> None:
    (tmp_path / "transactions.csv").write_text("sourceNodeId,targetNodeId,value,time\n1,2,100.5,1\n2,3,99,2\n3,4,5,3\n")
    (tmp_path / "nodes.csv").write_text(
        "nodeid,isFraud,init_balance,fraudStep\n1,1,10,-1\n2,1,10,3\n3,0,1,-1\n4,0,1,-1\n"
    )
    data = read_amlsim(tmp_path)
    assert data.labels is not None and data.labels["label"].to_pylist() == [1, 0, 0]
    assert data.transactions["value_date"].to_pylist()[0].isoformat() == "2017-01-02"
    assert data.account_labels is not None and sorted(data.account_labels["label"].to_pylist()) == [0, 0, 1, 1]


def test_amlsim_new_layout(tmp_path: Path) -> None:
    (tmp_path / "transactions.csv").write_text(
        "tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\n"
        "1,A,B,TRANSFER,100.00,2017-01-01T00:00:00Z,False,-1\n"
        "2,B,C,TRANSFER,95.00,2017-01-03T00:00:00Z,True,7\n"
    )
    data = read_amlsim(tmp_path)
    assert data.labels is not None and data.labels["label"].to_pylist() == [0, 1]
    assert data.transactions["transaction_id"].to_pylist() == ["AS1", "AS2"]
    assert data.account_labels is None


def test_amlsim_refuses_other_files(tmp_path: Path) -> None:
    (tmp_path / "transactions.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not an AMLSim"):
        read_amlsim(tmp_path)


def test_samld_reader(tmp_path: Path) -> None:
    path = tmp_path / "saml.csv"
    path.write_text(
        "Time,Date,Sender_account,Receiver_account,Amount,Payment_currency,Received_currency,Sender_bank_location,"
        "Receiver_bank_location,Payment_type,Is_laundering,Laundering_type\n"
        "11:38:54,2022-12-09,1782263940,3455276355,8822.67,Euro,UK pounds,Italy,UK,Cross-border,0,Normal_Fan_Out\n"
        "10:00:00,2022-12-10,1,2,9000,UK pounds,Mexican Peso,UK,Mexico,Cash Deposit,1,Structuring\n"
    )
    rows = read_samld(path).transactions.to_pylist()
    assert rows[0]["currency"] == "EUR" and rows[0]["debtor_country"] == "IT" and rows[0]["creditor_country"] == "GB"
    assert rows[1]["channel"] == "cash_deposit" and rows[1]["purpose"] == "Structuring"
    assert rows[1]["creditor_country"] == "MX"


@pytest.mark.skipif(not (SHARED / "amlsim-20K_fanin200").exists(), reason="shared AMLSim sample not present")
def test_real_amlsim_sample() -> None:
    data = read_amlsim(SHARED / "amlsim-20K_fanin200")
    assert data.transactions.num_rows == 118_250
    assert data.account_labels is not None and sum(data.account_labels["label"].to_pylist()) == 954


@pytest.mark.skipif(not (SHARED / "saml-d-sample").exists(), reason="shared SAML-D sample not present")
def test_real_samld_sample() -> None:
    data = read_samld(SHARED / "saml-d-sample")
    assert data.transactions.num_rows == 1000 and data.labels is not None
    assert sum(data.labels["label"].to_pylist()) == 5
