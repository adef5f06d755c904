"""The demo history's phrase bank: the lines its scripted calls are written from, and the supervisors' notes."""

from __future__ import annotations

from reviewer.domain.parties import Party

# The phrase bank: (customer's problem, agent's explanation, agent's fix) per topic, then lines any call can use.
TOPICS = (
    ("I was charged twice on my last bill and I would like to know why.",
     "I can see two payments for the same month; the second one was taken in error.",
     "I have refunded the second payment; it will be back on your card within three working days."),
    ("My parcel was supposed to arrive on Monday and it still has not come.",
     "The courier marked it as delayed at the depot because the address label was damaged.",
     "I have booked a new delivery for tomorrow morning and you will get a text with the time slot."),
    ("My internet keeps dropping every evening, it has been like this for a week.",
     "There is a fault on the line between your street cabinet and the exchange.",
     "An engineer will fix the line on Thursday, and I have added a credit for the lost days."),
    ("My card was declined at the shop this morning and I do not understand why.",
     "The card was blocked by our fraud check after a payment abroad last night.",
     "I have unblocked the card; you can use it again straight away."),
    ("I returned the order two weeks ago and I still have not seen the refund.",
     "The warehouse received the parcel but never confirmed it in our system.",
     "I have confirmed the return myself, so the refund goes out today."),
    ("I cannot log in to my account, the reset email never arrives.",
     "Your account still has an old email address that no longer works.",
     "I have updated the address and sent a new reset link; it should arrive in a minute."),
)  # fmt: skip
GREETING = "Thank you for calling, my name is {name}. How can I help you today?"
ASK = ("Could you confirm your full name and the account number, please?",
       "Can I have your postcode and date of birth to find the account?")  # fmt: skip
ANSWER = ("Yes, it is the account ending in four two seven.", "Sure, it is the address on the last letter you sent.")
FILLER = {
    Party.AGENT: ("Let me just pull up the details on my side.", "I can see the account in front of me now.",
        "I want to make sure we get this right for you.", "Bear with me while I read the notes from your last call."),
    Party.CUSTOMER: ("I have been a customer for years and this never happened before.",
        "I already explained all of this to your colleague last week.", "I just want it sorted out, to be honest.",
        "I checked my online account this morning as well."),
}  # fmt: skip
EMPATHY = "I completely understand how frustrating that is, and I am sorry you had to call us about it."
FOLLOW_UP = ("Okay, and how long will that take?", "So do I need to do anything else?", "Will it happen again?")
REASSURE = "No, there is nothing else you need to do; I have also left a note on the account in case you call again."
THANKS = ("Great, that is all I needed. Thank you.", "Perfect, thanks for your help.")
FAREWELL = ("Thank you for calling, have a good day. Goodbye.", "You are welcome. Have a lovely evening, goodbye.")
HOLD = ("Let me check that with the billing team, I will put you on a short hold.", "Thank you for holding.")
CUT_OFF = "And the thing is, every time I call I get a different answer and nobody ever calls me back when they say"
CUT_IN = ("Yes, yes, I know, but listen, that is not how it works.",
          "Right, right, but as I already said, there is nothing more I can do about that.",
          "Sorry, let me just stop you there, I have heard all of that already.")  # fmt: skip
GIVE_UP = "You are not even listening to me. Forget it, I will go elsewhere."
UPSET = "This is the third time I am calling about this and nothing ever changes!"
CALM_DOWN = "Calm down, please, getting upset will not make it any faster."
OFFENCES = (("profanity", "This is a f***ing joke, your f***ing company is useless!"),
            ("insult", "You are completely useless, do you even know how to do your job?"),
            ("yelling", "JUST FIX IT NOW! I HAVE HAD ENOUGH OF YOU PEOPLE!"))  # fmt: skip
WARNINGS = ("I want to help you, but I cannot go on in this tone. If it continues, I will end the call.",
            "This is my second warning: if the language continues, I will have to end this call.")  # fmt: skip
END_ABUSIVE = "As I said, I am ending the call now. Thank you for calling, goodbye."
END_EARLY = "I am going to end the call now. Goodbye."
CARRY_ON = ("I am still here to help, so let us try to sort this out together.", "Fine. Sorry. Just fix it, please.")
LINE_DROP = "And one more thing, could you also check whether the"

# The supervisor's note, by what happened in the call: its abuse scenario, the customer giving up, or a rule id.
SUMMARIES = {
    "gave_up": "Talked over the customer, who gave up and hung up.",
    "R7.interrupts_customer": "Kept interrupting the customer; went through it in coaching.",
    "R7.banned_phrase": 'Told an upset customer to "calm down".',
    "R7.repeat_hold": "Put the customer on hold twice; check the knowledge base before the call next time.",
    "by_the_book": "Abusive caller: warned twice, ended politely, reported and logged.",
    "not_logged": "Abuse ladder handled well, but the incident was not written into the account.",
    "continued": "Stayed in control after the third offence and solved the issue.",
    "premature": "Ended the call after a single warning.",
    "unwarranted": "Hung up on a customer who had done nothing wrong.",
}
PRAISE = ("Solved on the first call.", "Good empathy, clear explanation.", "Clean call.")
