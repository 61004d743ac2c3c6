/** A java agent that does nothing: what -javaagent costs a JVM before any agent code runs. */
public class EmptyAgent {
    public static void premain(String argument, java.lang.instrument.Instrumentation instrumentation) {}
}
