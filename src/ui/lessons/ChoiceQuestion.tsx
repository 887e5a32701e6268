import { useEffect, useRef, useState } from 'react';
import { InlineMarkdown } from './Markdown';

interface Props {
  /** Unique in the page: names the radio group and the reveal's ids. */
  readonly idBase: string;
  readonly question: string;
  readonly choices: readonly string[];
  readonly correct: string;
  readonly explanation: string;
  /** The committed answer, once given. */
  readonly given: string | undefined;
  readonly onAnswer: (choice: string) => void;
  readonly submitLabel: string;
  readonly testId: string;
}

/**
 * A question with one right choice: a labelled radio group and a button to commit, then — the
 * answer kept — whether it was right and why. Choosing with the arrow keys does not commit, so a
 * keyboard user can look at every choice first.
 */
export function ChoiceQuestion(props: Props) {
  const { idBase, question, choices, correct, explanation, given, onAnswer, submitLabel, testId } = props;
  const [picked, setPicked] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const revealRef = useRef<HTMLDivElement>(null);
  const justAnswered = useRef(false);

  // The form the learner was in is gone: their focus moves to what replaced it.
  useEffect(() => {
    if (given !== undefined && justAnswered.current) {
      justAnswered.current = false;
      revealRef.current?.focus();
    }
  }, [given]);

  if (given === undefined)
    return (
      <form
        className="choice-question"
        data-testid={testId}
        onSubmit={(e) => {
          e.preventDefault();
          if (picked === null) {
            setMissing(true);
            return;
          }
          justAnswered.current = true;
          onAnswer(picked);
        }}
      >
        <fieldset>
          <legend>
            <InlineMarkdown text={question} />
          </legend>
          {choices.map((choice, i) => (
            <label key={i} className="choice">
              <input
                type="radio"
                name={idBase}
                value={choice}
                checked={picked === choice}
                onChange={() => {
                  setPicked(choice);
                  setMissing(false);
                }}
              />
              <span>
                <InlineMarkdown text={choice} />
              </span>
            </label>
          ))}
        </fieldset>
        {missing && (
          <p className="inline-error" role="alert">
            Choose one of the answers first.
          </p>
        )}
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </form>
    );

  const right = given === correct;
  return (
    <div
      ref={revealRef}
      tabIndex={-1}
      role="group"
      aria-labelledby={`${idBase}-question`}
      className={`choice-reveal ${right ? 'right' : 'wrong'}`}
      data-testid={testId}
      data-correct={right ? 'true' : 'false'}
    >
      <p id={`${idBase}-question`} className="choice-reveal-question">
        <InlineMarkdown text={question} />
      </p>
      <p className="choice-verdict">
        <span aria-hidden="true">{right ? '✓ ' : '✗ '}</span>
        <strong>{right ? 'Right.' : 'Not quite.'}</strong> You answered: <InlineMarkdown text={given} />
      </p>
      {!right && (
        <p>
          The answer is: <InlineMarkdown text={correct} />
        </p>
      )}
      <p className="choice-explanation">
        <InlineMarkdown text={explanation} />
      </p>
    </div>
  );
}
