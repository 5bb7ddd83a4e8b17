"""App-side helpers: Plotly figure builders and Streamlit glue (the engine is ``w2v_core``)."""
