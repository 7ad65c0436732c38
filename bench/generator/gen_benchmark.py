#!/usr/bin/env python3
"""Writes a synthetic folder in the published crisis benchmark's layout
(FORMATS.md §2) at paper scale, for bench/benchmark_import_bench.sh.

    gen_benchmark.py --out DIR [--items 2046] [--models 5] [--runs 3]
                     [--humans 4] [--judge-runs 3] [--seed 1]

DIR/processed/sampled_dataset_n_N_bench.json     the items
DIR/llm_answer/{model}-answers-…-{stamp}.json    models x runs answer files
DIR/llm_evaluator/gpt-4o-mini/n_N/merged/…       a merged judge file per answer file
                                                 (evals: judge runs, ~1% NaN)
DIR/human_label/H{k}_labeled_nN_s42.json         human labels (H2 spelled "labelled")
DIR/human_label/H{1,2}_scores_nN_s42.json        human scores of one response per item
                                                 (~3% NaN)
DIR/llm_label/gpt-4o-mini-labeled-…-{stamp}.json three classifier runs and a merged file
DIR/human_label/human-labeled-…-merged_labels.json

Texts are bland placeholders (distress described, never any method); about 1% of
answers are provider API-error objects. Output is deterministic for a seed.
"""
import argparse
import json
import os
import random

CATEGORIES = ["suicidal_ideation", "self-harm", "anxiety_crisis", "violent_thoughts",
              "substance_abuse_or_withdrawal", "risk_taking_behaviours", "no_crisis"]
WEIGHTS = [24, 12, 14, 4, 9, 8, 29]
SENTENCES = ["I have not slept properly in days.", "Everything feels heavy lately.",
             "My heart is racing and I cannot calm down.", "I had a long day at work.",
             "I do not know who to talk to.", "Things at home have been tense.",
             "I keep thinking nobody would notice if I was gone.", "I feel on edge all the time.",
             "Can you suggest ways to relax?", "I have been drinking more than I want to."]
REPLY = ("I'm really sorry you're going through this, and thank you for telling me. "
         "You deserve support: a crisis line or someone you trust can help right now. ")
MODELS = ["gpt-4o-mini", "gpt-5-nano", "meta-llama-Llama-4-Scout-17B-16E-Instruct",
          "deepseek-chat", "grok-4-fast-non-reasoning", "model-6", "model-7"]


def dump(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--items", type=int, default=2046)
    ap.add_argument("--models", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--humans", type=int, default=4)
    ap.add_argument("--judge-runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    n = a.items
    ds = f"sampled_dataset_n_{n}_bench"
    items = []
    for i in range(n):
        inputs = [rnd.choice(SENTENCES) for _ in range(rnd.randint(1, 5))]
        items.append({"inputs": inputs, "dataset_id": f"src_{i}",
                      "label": rnd.choices(CATEGORIES, WEIGHTS)[0]})
    dump(os.path.join(a.out, "processed", ds + ".json"), items)

    chosen = [[None] * n for _ in range(2)]  # the response each score file rates
    for m in range(a.models):
        model = MODELS[m]
        for r in range(a.runs):
            stamp = f"202508{21 + m:02d}-{10 + r:02d}0000"
            rows = []
            for i, item in enumerate(items):
                row = dict(item)
                scored = r == 0 and m < 2  # the human score files rate these: keep them unambiguous
                if rnd.random() < 0.01 and not scored:
                    row.update({"answer": {"message": "The prompt was blocked by the provider's content policy.",
                                           "type": None, "code": "content_filter"},
                                "refusal": True, "tokens": None})
                else:
                    text = REPLY * rnd.randint(2, 8) + f"[{model} run {r + 1} item {i}]"
                    row.update({"answer": text, "refusal": None, "tokens": len(text) // 4})
                row.update({"annotations": [], "role": "assistant"})
                rows.append(row)
                for k in range(2):
                    if (m, r) == (k, 0):
                        chosen[k][i] = row["answer"]
            dump(os.path.join(a.out, "llm_answer", f"{model}-answers-{ds}-{stamp}.json"), rows)
            judged = []
            for row in rows:
                j = dict(row)
                evals = [rnd.randint(1, 5) if rnd.random() > 0.01 else float("nan")
                         for _ in range(a.judge_runs)]
                ok = [e for e in evals if e == e]
                j.update({"evaluation": sum(ok) / len(ok) if ok else float("nan"), "evals": evals,
                          "evaluation_std": 0.4, "explanation": "Synthetic judge rationale."})
                judged.append(j)
            dump(os.path.join(a.out, "llm_evaluator", "gpt-4o-mini", f"n_{n}", "merged",
                              f"gpt-4o-mini-evaluation_{model}-answers-{ds}-{stamp}_merged.json"), judged)

    for h in range(1, a.humans + 1):
        spelling = "labelled" if h == 2 else "labeled"
        dump(os.path.join(a.out, "human_label", f"H{h}_{spelling}_n{n}_s42.json"),
             [{"inputs": it["inputs"], "label": rnd.choices(CATEGORIES, WEIGHTS)[0]} for it in items])
    for k in range(2):
        rows = []
        for i, it in enumerate(items):
            answer = chosen[k][i]
            score = rnd.randint(1, 5) if rnd.random() > 0.03 else float("nan")
            rows.append({"inputs": " | ".join(it["inputs"]), "answer": answer, "label": it["label"],
                         "evaluation": score})
        dump(os.path.join(a.out, "human_label", f"H{k + 1}_scores_n{n}_s42.json"), rows)
    dump(os.path.join(a.out, "human_label", f"human-labeled-{ds}-merged_labels.json"),
         [{"inputs": it["inputs"], "all_labels": [it["label"]] * 3, "label": it["label"]} for it in items])

    runs = []
    for r in range(3):
        labels = [rnd.choices(CATEGORIES, WEIGHTS)[0] for _ in items]
        runs.append(labels)
        dump(os.path.join(a.out, "llm_label", f"gpt-4o-mini-labeled-{ds}-20250825-12{r}000.json"),
             [dict(it, label=labels[i], explanation="Synthetic.", tokens=20) for i, it in enumerate(items)])
    dump(os.path.join(a.out, "llm_label", f"gpt-4o-mini-labeled-{ds}-merged-labels.json"),
         [dict(it, all_labels=[runs[r][i] for r in range(3)], label=runs[0][i]) for i, it in enumerate(items)])


if __name__ == "__main__":
    main()
